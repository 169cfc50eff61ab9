"""The service layer's TaskWork on a chassis unit of work: the SQL repository and its events."""

from __future__ import annotations

from chassis.db import EventLog, UnitOfWork
from tasks.adapters.repository import SqlTaskRepository


class SqlTaskWork:
    """Tasks and events of one unit of work; events commit with the change (the outbox)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.tasks = SqlTaskRepository(uow)
        self.events: EventLog = uow  # `record` stamps the envelope (id, source, correlation id)
