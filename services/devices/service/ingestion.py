"""Which readings a device may send: the rules of the telemetry hot path, free of MQTT and SQL.

A refused message names its reason; the adapter dead-letters it and ingestion goes on. The rules
are those of the readings table and then some: what passes here the database stores, so one
message can never fail its batch (metric names of 1-100 printable characters, so no NUL;
finite values; timestamps from 1970 to a little past now).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from devices.service.model import Device


class Sample(NamedTuple):
    """One metric of one reading, as stored: timestamps in epoch microseconds."""

    device_id: int
    metric: str
    ts_us: int
    value: float


class Received(NamedTuple):
    """The samples of one message, and the correlation id (and trace context, when traced) of
    the work that took it in."""

    samples: Sequence[Sample]
    correlation_id: str | None
    traceparent: str | None = None


METRIC_NAME_MAX = 100
"""The readings table's metric column is varchar(100)."""


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
    """The samples of `readings`, or Rejected: unknown or decommissioned device, a timestamp
    before 1970 or in the future, a metric name or value the readings table cannot hold."""
    if device is None:
        raise Rejected("unknown_device", f"no device {device_id} is registered")
    if not device.active:
        raise Rejected("decommissioned_device", f"device {device_id} was decommissioned")
    latest = now + max_skew
    samples: list[Sample] = []
    for reading in readings:
        if reading.ts > latest:
            raise Rejected("future_timestamp", f"ts {reading.ts.isoformat()} is in the future")
        if reading.ts < _EPOCH:  # a device clock reset, not a reading of 1938
            raise Rejected("ancient_timestamp", f"ts {reading.ts.isoformat()} is before 1970")
        ts_us = epoch_us(reading.ts)
        for metric, value in reading.metrics.items():
            if (problem := metric_name_problem(metric)) is not None:
                raise Rejected("invalid_metric_name", f"metric {metric[:120]!r} {problem}")
            if not math.isfinite(value):  # NaN, Infinity, or a number too big for a double
                raise Rejected("non_finite_value", f"metric {metric!r} is {value}")
            samples.append(Sample(device_id, metric, ts_us, value))
    return samples


def metric_name_problem(name: str) -> str | None:
    """What is wrong with a metric name, or None: 1 to 100 printable characters (no NUL, no
    control or invisible formatting characters, no unpaired surrogates)."""
    if not name:
        return "is empty"
    if len(name) > METRIC_NAME_MAX:
        return f"is longer than {METRIC_NAME_MAX} characters"
    if not name.isprintable():
        return "holds a control or non-printable character"
    return None


def epoch_us(at: datetime) -> int:
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
