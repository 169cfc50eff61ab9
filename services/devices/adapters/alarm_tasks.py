"""Opens the task of every raised alarm, retrying in the background until tasks answers.

Woken at once when a batch raised alarms, and every `retry_interval` seconds regardless, it
asks tasks for each alarm without a task id (oldest first) and stores the id it gets. Tasks
dedupes by Idempotency-Key (the alarm id), so a retry after a lost answer, or two replicas
asking at once, still give the alarm one task.
"""

from __future__ import annotations

import asyncio
import contextlib

from chassis.db import Database, UnitOfWork
from chassis.http import DownstreamError
from chassis.lifecycle import Component, Health, cancel
from chassis.logging import tagged_logger
from devices.adapters.alarm_repository import SqlAlarmRepository
from devices.adapters.service_token import ServiceToken
from devices.adapters.tasks_client import TasksClient

_log = tagged_logger("HTTP")
_BATCH = 50


class AlarmTasks(Component):
    name = "alarm-tasks"
    required = False

    def __init__(
        self, database: Database, tasks: TasksClient, token: ServiceToken, *, retry_interval: float
    ) -> None:
        self.database = database
        self.tasks = tasks
        self.token = token
        self.retry_interval = retry_interval
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: asyncio.Task[None] | None = None
        self.pending = 0
        self.last_error: str | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._runner = asyncio.create_task(self._run(), name="alarm-tasks")

    async def stop(self) -> None:
        await cancel(self._runner)
        self._runner = None

    def health(self) -> Health:
        return Health.up(pending=self.pending, last_error=self.last_error)

    def wake(self) -> None:
        """New alarms committed: open their tasks now rather than at the next round."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while True:
            try:
                await self.open_pending()
            except Exception as exc:  # the loop must outlive any one failure
                _log.warning("opening alarm tasks failed: %r", exc)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.retry_interval):
                    await self._wake.wait()
            self._wake.clear()

    async def open_pending(self) -> int:
        """One round: open the tasks of alarms without one; returns how many were linked."""
        alarms = await self.database.transaction(
            lambda uow: SqlAlarmRepository(uow.session).without_task(_BATCH)
        )
        self.pending = len(alarms)
        linked = 0
        for alarm in alarms:
            try:
                task_id = await self.tasks.open_alarm_task(alarm)
            except DownstreamError as exc:
                if exc.status == 401:
                    self.token.forget()
                self.last_error = str(exc)
                _log.info("task of alarm %s not opened yet: %s", alarm.id, exc)
                return linked  # tasks (or users) is unwell: the next round retries
            await self._link(alarm.id, task_id)
            linked += 1
            self.pending -= 1
        self.last_error = None
        return linked

    async def _link(self, alarm_id: int, task_id: int) -> None:
        def work(uow: UnitOfWork) -> bool:
            return SqlAlarmRepository(uow.session).link_task(alarm_id, task_id)

        await self.database.transaction(work)
