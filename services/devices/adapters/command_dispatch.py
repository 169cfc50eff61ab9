"""Where commands go and how long devices have to ack them; its sweeper turns pending commands
past their deadline into timed_out every `sweep_interval` seconds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from chassis.db import Database, UnitOfWork
from chassis.lifecycle import Component, Health, cancel
from chassis.logging import tagged_logger
from devices.adapters.command_repository import SqlCommandRepository
from devices.adapters.device_topics import DeviceTopics
from devices.settings import CommandSettings

_log = tagged_logger("DB")


class CommandDispatch(Component):
    name = "command-dispatch"
    required = False

    def __init__(
        self, database: Database, device_topics: DeviceTopics, settings: CommandSettings
    ) -> None:
        self.database = database
        self.topics = device_topics
        self.timeout = settings.timeout
        self.interval = settings.sweep_interval
        self.timed_out = 0
        self._runner: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="command-timeouts")

    async def stop(self) -> None:
        await cancel(self._runner)
        self._runner = None

    def health(self) -> Health:
        return Health.up(timed_out=self.timed_out)

    async def sweep(self) -> int:
        def work(uow: UnitOfWork) -> int:
            return SqlCommandRepository(uow.session).time_out(datetime.now(UTC))

        swept = await self.database.transaction(work)
        self.timed_out += swept
        return swept

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception as exc:  # the database may be briefly away: sweep again later
                _log.warning("command timeout sweep failed: %r", exc)
            await asyncio.sleep(self.interval)
