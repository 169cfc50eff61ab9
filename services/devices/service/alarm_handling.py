"""Service functions of alarms: watch a batch of readings, link a task, resolve, find, browse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from chassis.db import EventLog, next_id
from contracts.devices import AlarmRaised, AlarmResolved
from devices.service.alarms import Alarm, AlarmFilter, MetricKey, evaluate, from_epoch_us
from devices.service.errors import AlarmNotFound
from devices.service.ingestion import Received
from devices.service.ports import AlarmRepository
from devices.service.thresholds import Threshold

CORRELATION_ID_MAX = 128
"""What an alarm keeps of its reading's correlation id (X-Request-ID's own limit)."""


class WatchedAlarms(Protocol):
    def disarmed(self, device_ids: Iterable[int]) -> dict[MetricKey, Alarm]: ...

    def save(self, alarm: Alarm) -> None: ...


def watch_readings(
    received: Sequence[Received],
    thresholds: Mapping[int, Mapping[str, Threshold]],
    *,
    alarms: WatchedAlarms,
    events: EventLog,
    ids: Callable[[], int] = next_id,
) -> list[Alarm]:
    """Raise (and announce) the alarms the readings call for; store cleared ones. Returns the
    raised ones, each under the work (correlation id, trace) of the message whose reading
    raised it."""
    watched = [
        s for r in received for s in r.samples if s.metric in thresholds.get(s.device_id, {})
    ]
    if not watched:
        return []
    outcome = evaluate(watched, thresholds, alarms.disarmed(thresholds), ids=ids)
    raised = _traced(outcome.raised, received)
    for alarm in raised:  # it may have cleared in the same batch: keep what evaluate changed
        outcome.changed[alarm.id] = replace(
            outcome.changed[alarm.id],
            correlation_id=alarm.correlation_id,
            traceparent=alarm.traceparent,
        )
    for alarm in outcome.changed.values():
        alarms.save(alarm)
    for alarm in raised:
        data = AlarmRaised(
            alarm_id=alarm.id,
            device_id=alarm.device_id,
            metric=alarm.metric,
            value=alarm.value,
            threshold=alarm.threshold,
            raised_at=alarm.raised_at,
        )
        events.record(data, correlation_id=alarm.correlation_id, traceparent=alarm.traceparent)
    return raised


def _traced(raised: list[Alarm], received: Sequence[Received]) -> list[Alarm]:
    """`raised`, each with the correlation id and trace context of the message that carried its
    reading (a batch holds many messages, each its own piece of work)."""
    if not raised:
        return raised  # the common case looks at nothing
    origin = {
        (s.device_id, s.metric, from_epoch_us(s.ts_us)): r for r in received for s in r.samples
    }
    traced = []
    for alarm in raised:
        found = origin.get((alarm.device_id, alarm.metric, alarm.raised_at))
        rid = found.correlation_id if found else None
        traceparent = found.traceparent if found else None
        traced.append(
            replace(
                alarm,
                correlation_id=rid[:CORRELATION_ID_MAX] if rid else None,
                traceparent=traceparent,
            )
        )
    return traced


def resolve_for_task(
    task_id: int,
    alarm_id: int | None,
    *,
    at: datetime,
    alarms: AlarmRepository,
    events: EventLog,
) -> Alarm | None:
    """Resolve the alarm the completed task was opened for (found by task, else by alarm id).

    Returns it, or None when the task was not one of ours. Resolving twice changes nothing.
    """
    alarm = alarms.for_task(task_id)
    if alarm is None and alarm_id is not None:
        alarm = alarms.get(alarm_id)
    if alarm is None or alarm.state == "resolved":
        return alarm
    resolved = alarm.resolve(at, task_id)
    alarms.save(resolved)
    data = AlarmResolved(
        alarm_id=resolved.id,
        device_id=resolved.device_id,
        task_id=resolved.task_id,
        resolved_at=at,
    )
    events.record(data)
    return resolved


def find_alarm(alarm_id: int, *, alarms: AlarmRepository) -> Alarm:
    alarm = alarms.get(alarm_id)
    if alarm is None:
        raise AlarmNotFound(f"no alarm {alarm_id}")
    return alarm


def browse_alarms(
    where: AlarmFilter, *, limit: int, cursor: str | None, alarms: AlarmRepository
) -> tuple[list[Alarm], str | None]:
    return alarms.page(where, limit=limit, cursor=cursor)
