"""Which readings are accepted, and why others are refused."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts import Reading
from devices.service.ingestion import Rejected, Sample, accept
from devices.service.model import Device

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
SKEW = timedelta(minutes=5)


def _device(**fields: object) -> Device:
    return Device(id=7, name="P", kind="pump", site="n", created_at=NOW, **fields)  # type: ignore[arg-type]


def test_each_metric_of_a_reading_becomes_a_sample_in_microseconds() -> None:
    reading = Reading(ts=NOW, metrics={"t": 1.5, "p": 2.0})
    samples = accept(7, _device(), [reading], now=NOW, max_skew=SKEW)
    ts = int(NOW.timestamp()) * 1_000_000
    assert samples == [Sample(7, "t", ts, 1.5), Sample(7, "p", ts, 2.0)]


@pytest.mark.parametrize(
    ("device", "ts", "reason"),
    [
        (None, NOW, "unknown_device"),
        (_device(decommissioned_at=NOW), NOW, "decommissioned_device"),
        (_device(), NOW + timedelta(hours=1), "future_timestamp"),
    ],
)
def test_refusals_name_their_reason(device: Device | None, ts: datetime, reason: str) -> None:
    with pytest.raises(Rejected) as refused:
        accept(7, device, [Reading(ts=ts, metrics={"t": 1})], now=NOW, max_skew=SKEW)
    assert refused.value.reason == reason


def test_a_small_clock_skew_is_tolerated() -> None:
    reading = Reading(ts=NOW + timedelta(minutes=1), metrics={"t": 1})
    assert len(accept(7, _device(), [reading], now=NOW, max_skew=SKEW)) == 1
