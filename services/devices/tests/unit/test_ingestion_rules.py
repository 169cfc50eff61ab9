"""Which readings are accepted, and why others are refused."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.devices import Reading
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


@pytest.mark.parametrize(
    ("metrics", "ts", "reason"),
    [
        ({"m" * 101: 1.0}, NOW, "invalid_metric_name"),
        ({"temp\x00": 1.0}, NOW, "invalid_metric_name"),
        ({"temp\n": 1.0}, NOW, "invalid_metric_name"),
        ({"\ud800": 1.0}, NOW, "invalid_metric_name"),
        ({"": 1.0}, NOW, "invalid_metric_name"),
        ({"temp": float("nan")}, NOW, "non_finite_value"),
        ({"temp": float("inf")}, NOW, "non_finite_value"),
        ({"temp": float("-inf")}, NOW, "non_finite_value"),
        ({"temp": 1.0}, datetime(1938, 4, 24, tzinfo=UTC), "ancient_timestamp"),
    ],
    ids=[
        "101-character name",
        "NUL in name",
        "control character in name",
        "unpaired surrogate in name",
        "empty name",
        "NaN",
        "Infinity",
        "-Infinity",
        "ts before 1970",
    ],
)
def test_what_the_readings_table_cannot_hold_is_refused_with_its_reason(
    metrics: dict[str, float], ts: datetime, reason: str
) -> None:
    with pytest.raises(Rejected) as refused:
        accept(7, _device(), [Reading(ts=ts, metrics=metrics)], now=NOW, max_skew=SKEW)
    assert refused.value.reason == reason


def test_a_100_character_name_of_any_script_is_accepted() -> None:
    name = "température-µ-" + "ж" * 86
    samples = accept(7, _device(), [Reading(ts=NOW, metrics={name: -0.0})], now=NOW, max_skew=SKEW)
    assert [s.metric for s in samples] == [name]


def test_one_refused_reading_refuses_its_whole_message() -> None:
    readings = [Reading(ts=NOW, metrics={"t": 1}), Reading(ts=NOW, metrics={"t": float("nan")})]
    with pytest.raises(Rejected):
        accept(7, _device(), readings, now=NOW, max_skew=SKEW)
