"""Service functions of alarms: watch a batch of readings, link a task, resolve, find."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Protocol

from chassis.db import next_id
from contracts import AlarmRaised, AlarmResolved, Event
from devices.service.alarms import Alarm, MetricKey, evaluate
from devices.service.errors import AlarmNotFound
from devices.service.ingestion import Sample
from devices.service.ports import AlarmRepository, Emit
from devices.service.thresholds import Threshold


class WatchedAlarms(Protocol):
    def disarmed(self, device_ids: Iterable[int]) -> dict[MetricKey, Alarm]: ...

    def save(self, alarm: Alarm) -> None: ...


def watch_readings(
    samples: Iterable[Sample],
    thresholds: Mapping[int, Mapping[str, Threshold]],
    *,
    alarms: WatchedAlarms,
    emit: Emit,
    ids: Callable[[], int] = next_id,
) -> list[Alarm]:
    """Raise (and announce) the alarms `samples` call for; store cleared ones. Returns raised."""
    watched = [s for s in samples if s.metric in thresholds.get(s.device_id, {})]
    if not watched:
        return []
    outcome = evaluate(watched, thresholds, alarms.disarmed(thresholds), ids=ids)
    for alarm in outcome.changed.values():
        alarms.save(alarm)
    for alarm in outcome.raised:
        data = AlarmRaised(
            alarm_id=alarm.id,
            device_id=alarm.device_id,
            metric=alarm.metric,
            value=alarm.value,
            threshold=alarm.threshold,
            raised_at=alarm.raised_at,
        )
        emit(Event.of(data, id=ids(), source="devices"))
    return outcome.raised


def resolve_for_task(
    task_id: int,
    alarm_id: int | None,
    *,
    at: datetime,
    alarms: AlarmRepository,
    emit: Emit,
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
    emit(Event.of(data, id=next_id(), source="devices"))
    return resolved


def find_alarm(alarm_id: int, *, alarms: AlarmRepository) -> Alarm:
    alarm = alarms.get(alarm_id)
    if alarm is None:
        raise AlarmNotFound(f"no alarm {alarm_id}")
    return alarm
