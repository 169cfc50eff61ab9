"""Alarms: a reading past a threshold raises one, and the metric re-arms only past its clear level.

An alarm's `state` follows its task (`raised` until the task is completed, then `resolved`);
`cleared_at` follows the readings (set when the value came back past the clear level). A metric
whose latest alarm is not cleared yet is disarmed: further breaches raise nothing (no flapping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from devices.service.ingestion import Sample
from devices.service.thresholds import Threshold

AlarmState = Literal["raised", "resolved"]
MetricKey = tuple[int, str]
"""(device id, metric)."""


@dataclass(frozen=True)
class Alarm:
    id: int
    device_id: int
    metric: str
    value: float
    threshold: float
    raised_at: datetime
    state: AlarmState = "raised"
    resolved_at: datetime | None = None
    cleared_at: datetime | None = None
    task_id: int | None = None
    # The work of the reading that raised it: its task is opened, and its events sent, under it
    # (its correlation id and, when traced, its trace context).
    correlation_id: str | None = None
    traceparent: str | None = None

    @property
    def armed_again(self) -> bool:
        return self.cleared_at is not None

    def clear(self, at: datetime) -> Alarm:
        """The value went back past the clear level: the metric may alarm again."""
        return self if self.cleared_at is not None else replace(self, cleared_at=at)

    def resolve(self, at: datetime, task_id: int | None = None) -> Alarm:
        """Its task was completed. Idempotent: a resolved alarm stays as it was."""
        if self.state == "resolved":
            return self
        return replace(self, state="resolved", resolved_at=at, task_id=self.task_id or task_id)


@dataclass(frozen=True)
class AlarmFilter:
    device_id: int | None = None
    state: AlarmState | None = None
    since: datetime | None = None


@dataclass
class Evaluation:
    """What a batch of readings did: alarms raised, and every alarm to save (raised or cleared)."""

    raised: list[Alarm] = field(default_factory=list)
    changed: dict[int, Alarm] = field(default_factory=dict)


def evaluate(
    samples: Iterable[Sample],
    thresholds: Mapping[int, Mapping[str, Threshold]],
    disarmed: Mapping[MetricKey, Alarm],
    *,
    ids: Callable[[], int],
) -> Evaluation:
    """Walk `samples` in time order per metric against the device's `thresholds`.

    `disarmed` holds, per metric, the latest alarm not cleared yet (none: the metric is armed).
    """
    latest = dict(disarmed)
    outcome = Evaluation()
    for sample in sorted(samples, key=lambda s: (s.device_id, s.metric, s.ts_us)):
        threshold = thresholds.get(sample.device_id, {}).get(sample.metric)
        if threshold is None:
            continue
        key = (sample.device_id, sample.metric)
        current = latest.get(key)
        at = from_epoch_us(sample.ts_us)
        if current is None:
            limit = threshold.breach(sample.value)
            if limit is None:
                continue
            alarm = Alarm(ids(), sample.device_id, sample.metric, sample.value, limit, at)
            latest[key] = outcome.changed[alarm.id] = alarm
            outcome.raised.append(alarm)
        elif at >= current.raised_at and threshold.cleared(sample.value):
            outcome.changed[current.id] = current.clear(at)
            del latest[key]
    return outcome


def from_epoch_us(ts_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=ts_us)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
