"""Opens the task of every raised alarm, retrying in the background until tasks answers.

Woken at once when a batch raised alarms, and every `retry_interval` seconds regardless, it
asks tasks for each alarm without a task id (oldest first) and stores the id it gets. Tasks
dedupes by Idempotency-Key (the alarm id), so a retry after a lost answer, or two replicas
asking at once, still give the alarm one task.
"""

from __future__ import annotations

from chassis.context import correlation_id, new_correlation_id
from chassis.db import Database, UnitOfWork
from chassis.http import DownstreamError
from chassis.lifecycle import BackgroundLoop, Health
from chassis.logging import tagged_logger
from devices.adapters.alarm_repository import SqlAlarmRepository
from devices.adapters.tasks_client import TasksClient
from devices.service.alarms import Alarm

_log = tagged_logger("HTTP")
_BATCH = 50


class AlarmTasks(BackgroundLoop):
    name = "alarm-tasks"
    required = False
    log = _log

    def __init__(
        self,
        database: Database,
        tasks: TasksClient,
        *,
        retry_interval: float,
    ) -> None:
        super().__init__(interval=retry_interval)
        self.database = database
        self.tasks = tasks
        self.pending = 0
        self.last_error: str | None = None

    def health(self) -> Health:
        return Health.up(pending=self.pending, last_error=self.last_error)

    async def run_once(self) -> None:
        await self.open_pending()

    async def open_pending(self) -> int:
        """One round: open the tasks of alarms without one; returns how many were linked."""
        alarms = await self.database.transaction(
            lambda uow: SqlAlarmRepository(uow.session).without_task(_BATCH)
        )
        self.pending = len(alarms)
        linked = 0
        for alarm in alarms:
            if not await self._open(alarm):
                return linked  # tasks (or users) is unwell: the next round retries
            linked += 1
            self.pending -= 1
        self.last_error = None
        return linked

    async def _open(self, alarm: Alarm) -> bool:
        # Under the reading's correlation id: the call carries it (X-Request-ID), so tasks
        # records task.created under it, and these log lines join the reading's.
        token = correlation_id.set(alarm.correlation_id or new_correlation_id())
        try:
            task_id = await self.tasks.open_alarm_task(alarm)
        except DownstreamError as exc:  # a refused token was renewed once by the client
            self.last_error = str(exc)
            _log.info("task of alarm %s not opened yet: %s", alarm.id, exc)
            return False
        finally:
            correlation_id.reset(token)
        await self._link(alarm.id, task_id)
        return True

    async def _link(self, alarm_id: int, task_id: int) -> None:
        def work(uow: UnitOfWork) -> bool:
            return SqlAlarmRepository(uow.session).link_task(alarm_id, task_id)

        await self.database.transaction(work)
