"""task.completed from tasks: the alarm the task was opened for is resolved (once)."""

from __future__ import annotations

from chassis.db import Database, UnitOfWork
from chassis.outbox import ProcessedEvents, process_once
from chassis.tracing import continued, current_traceparent, link_to
from contracts import Event
from contracts.tasks import TaskCompleted
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.alarm_repository import SqlAlarmRepository
from devices.service.alarm_handling import resolve_for_task
from devices.service.alarms import Alarm


class TaskCompletions:
    def __init__(self, *, database: Database, device_topics: DeviceTopics) -> None:
        self.database = database
        self.topics = device_topics
        self.claims = ProcessedEvents("devices.task-completed")

    def topic_filter(self) -> str:
        return self.topics.event("tasks", "task.completed")

    async def handle(self, completion: Event[TaskCompleted]) -> None:
        completed = completion.data
        resolved: list[Alarm] = []

        def work(uow: UnitOfWork) -> None:
            alarm = resolve_for_task(
                completed.task_id,
                completed.alarm_id,
                at=completed.completed_at,
                alarms=SqlAlarmRepository(uow.session),
                events=uow,  # under the correlation id of the work that completed the task
            )
            resolved.extend([alarm] if alarm is not None else [])

        if await process_once(self.database, self.claims, completion.id, work) and resolved:
            _join_the_traces(resolved[0], completed.task_id)


def _join_the_traces(alarm: Alarm, task_id: int) -> None:
    """The alarm story is one trace from the reading to the resolution: the resolution shows
    at the end of the reading's trace, linked to this completion, which links back to it."""
    link_to(alarm.traceparent)
    if alarm.traceparent is not None:
        completion = current_traceparent()
        story = {"fleet.alarm_id": alarm.id, "fleet.task_id": task_id}
        with continued(alarm.traceparent, "alarm resolved", story):
            link_to(completion)
