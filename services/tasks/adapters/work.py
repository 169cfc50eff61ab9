"""The service layer's TaskWork on a chassis unit of work: SQL repository plus outbox events."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from chassis.context import correlation_id
from chassis.db import Database, UnitOfWork, next_id
from contracts import Event, EventData, topics
from tasks.adapters.repository import SqlTaskRepository
from tasks.service.errors import WriteConflict

T = TypeVar("T")
SOURCE = "tasks"


class SqlTaskWork:
    """Tasks and events of one unit of work; events commit with the change (the outbox)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.tasks = SqlTaskRepository(uow)

    def publish(self, data: EventData) -> None:
        event = Event.of(data, id=next_id(), source=SOURCE, correlation_id=correlation_id.get())
        self.uow.emit(topics.event(SOURCE, data.event_type), event)


class Transactions:
    """`await transactions(work)`: runs `work(SqlTaskWork)` in a worker thread and commits;
    a unique row met at commit is the service's WriteConflict."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def __call__(self, work: Callable[[SqlTaskWork], T]) -> T:
        try:
            return await self.database.transaction(lambda uow: work(SqlTaskWork(uow)))
        except sa.exc.IntegrityError as exc:
            raise WriteConflict from exc

    async def read(self, work: Callable[[SqlTaskWork], T]) -> T:
        """Run the read-only `work` outside a transaction (one round trip per query)."""
        return await self.database.read(lambda uow: work(SqlTaskWork(uow)))
