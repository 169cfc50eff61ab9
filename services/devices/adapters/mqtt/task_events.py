"""task.completed from tasks: the alarm the task was opened for is resolved (once)."""

from __future__ import annotations

from chassis.db import Database, UnitOfWork
from chassis.outbox import ProcessedEvents, process_once
from chassis.tracing import link_to
from contracts import Event, TaskCompleted
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.alarm_repository import SqlAlarmRepository
from devices.service.alarm_handling import resolve_for_task


class TaskCompletions:
    def __init__(self, *, database: Database, device_topics: DeviceTopics) -> None:
        self.database = database
        self.topics = device_topics
        self.claims = ProcessedEvents("devices.task-completed")

    def topic_filter(self) -> str:
        return self.topics.event("tasks", "task.completed")

    async def handle(self, completion: Event[TaskCompleted]) -> None:
        completed = completion.data

        def work(uow: UnitOfWork) -> None:
            alarm = resolve_for_task(
                completed.task_id,
                completed.alarm_id,
                at=completed.completed_at,
                alarms=SqlAlarmRepository(uow.session),
                events=uow,  # under the correlation id of the work that completed the task
            )
            if alarm is not None:  # the completion's trace points back at the alarm's
                link_to(alarm.traceparent)

        await process_once(self.database, self.claims, completion.id, work)
