"""Where commands go and how long devices have to ack them; its sweeper turns pending commands
past their deadline into timed_out every `sweep_interval` seconds."""

from __future__ import annotations

from datetime import UTC, datetime

from chassis.db import Database, UnitOfWork
from chassis.lifecycle import BackgroundLoop, Health
from chassis.logging import tagged_logger
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.command_repository import SqlCommandRepository
from devices.settings import CommandSettings


class CommandDispatch(BackgroundLoop):
    name = "command-dispatch"
    required = False
    log = tagged_logger("DB")  # the database may be briefly away: the loop sweeps again later

    def __init__(
        self, database: Database, device_topics: DeviceTopics, settings: CommandSettings
    ) -> None:
        super().__init__(interval=settings.sweep_interval)
        self.database = database
        self.topics = device_topics
        self.timeout = settings.timeout
        self.timed_out = 0

    def health(self) -> Health:
        return Health.up(timed_out=self.timed_out)

    async def run_once(self) -> None:
        await self.sweep()

    async def sweep(self) -> int:
        def work(uow: UnitOfWork) -> int:
            return SqlCommandRepository(uow.session).time_out(datetime.now(UTC))

        swept = await self.database.transaction(work)
        self.timed_out += swept
        return swept
