"""Every raised alarm gets its maintenance task: opened in the background until tasks answers.

Woken at once when a batch raised alarms, and every `retry_interval` seconds regardless, it
asks tasks for each alarm without a task id (oldest first) and stores the id it gets. Tasks
dedupes by Idempotency-Key (the alarm id), so a retry after a lost answer, or two replicas
asking at once, still give the alarm one task. The first failure ends the round: tasks (or
users, for the token) is unwell, and the next round retries.
"""

from __future__ import annotations

from chassis.context import correlation_id, new_correlation_id
from chassis.http import DownstreamError
from chassis.lifecycle import BackgroundLoop, Health
from chassis.logging import tagged_logger
from chassis.tracing import continued
from devices.service.alarms import Alarm
from devices.service.ports import AlarmTaskTransaction, TaskOpener

_log = tagged_logger("HTTP")
_BATCH = 50


class AlarmTasks(BackgroundLoop):
    name = "alarm-tasks"
    required = False
    log = _log

    def __init__(
        self, transaction: AlarmTaskTransaction, tasks: TaskOpener, *, retry_interval: float
    ) -> None:
        super().__init__(interval=retry_interval)
        self.transaction = transaction
        self.tasks = tasks
        self.pending = 0
        self.last_error: str | None = None

    def health(self) -> Health:
        return Health.up(pending=self.pending, last_error=self.last_error)

    async def run_once(self) -> None:
        await self.open_pending()

    async def open_pending(self) -> int:
        """One round: open the tasks of alarms without one; returns how many were linked."""
        alarms = await self.transaction(lambda work: work.alarms.without_task(_BATCH))
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
        # Under the reading's correlation id and trace: the call carries them (X-Request-ID,
        # traceparent), so tasks records task.created under them, these log lines join the
        # reading's, and the task's opening shows in the reading's trace.
        token = correlation_id.set(alarm.correlation_id or new_correlation_id())
        try:
            with continued(alarm.traceparent, "open alarm task", {"fleet.alarm_id": alarm.id}):
                task_id = await self.tasks.open_alarm_task(alarm)
        except DownstreamError as exc:  # a refused token was renewed once by the client
            self.last_error = str(exc)
            _log.info("task of alarm %s not opened yet: %s", alarm.id, exc)
            return False
        finally:
            correlation_id.reset(token)
        await self.transaction(lambda work: work.alarms.link_task(alarm.id, task_id))
        return True
