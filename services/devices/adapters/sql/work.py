"""The service layer's view of one unit of work: devices' SQL repositories and its messages."""

from __future__ import annotations

from chassis.db import EventLog, SqlFiles, UnitOfWork
from devices.adapters.sql.alarm_repository import SqlAlarmRepository
from devices.adapters.sql.command_repository import SqlCommandRepository
from devices.adapters.sql.device_repository import SqlDeviceRepository
from devices.adapters.sql.reading_queries import SqlReadings


class SqlDeviceWork:
    """Devices, alarms and commands on one transaction; what it records or emits commits with
    it (the outbox)."""

    def __init__(self, uow: UnitOfWork) -> None:
        session = uow.session
        self.devices = SqlDeviceRepository(session)
        self.alarms = SqlAlarmRepository(session)
        self.commands = SqlCommandRepository(session)
        self.events: EventLog = uow  # `record` stamps the envelope (id, source, correlation id)
        self.emit = uow.emit  # what is not a domain event: a command to a device


class SqlReadingWork(SqlDeviceWork):
    """The same, with the readings, whose queries are the app's SQL files (a component)."""

    def __init__(self, uow: UnitOfWork, sql: SqlFiles) -> None:
        super().__init__(uow)
        self.readings = SqlReadings(uow.session, sql)
