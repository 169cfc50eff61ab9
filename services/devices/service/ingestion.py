"""Which readings a device may send: the rules of the telemetry hot path, free of MQTT and SQL.

A refused message names its reason; the adapter dead-letters it and ingestion goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from devices.service.model import Device


class Sample(NamedTuple):
    """One metric of one reading, as stored: timestamps in epoch microseconds."""

    device_id: int
    metric: str
    ts_us: int
    value: float


class Rejected(Exception):
    """A message no retry can make acceptable; `reason` is the dead letter's."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class ReadingLike(Protocol):
    @property
    def ts(self) -> datetime: ...

    @property
    def metrics(self) -> dict[str, float]: ...


def accept(
    device_id: int,
    device: Device | None,
    readings: Iterable[ReadingLike],
    *,
    now: datetime,
    max_skew: timedelta,
) -> list[Sample]:
    """The samples of `readings`, or Rejected: unknown or decommissioned device, future ts."""
    if device is None:
        raise Rejected("unknown_device", f"no device {device_id} is registered")
    if not device.active:
        raise Rejected("decommissioned_device", f"device {device_id} was decommissioned")
    latest = now + max_skew
    samples: list[Sample] = []
    for reading in readings:
        if reading.ts > latest:
            raise Rejected("future_timestamp", f"ts {reading.ts.isoformat()} is in the future")
        ts_us = epoch_us(reading.ts)
        samples.extend(Sample(device_id, m, ts_us, v) for m, v in reading.metrics.items())
    return samples


def epoch_us(at: datetime) -> int:
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
