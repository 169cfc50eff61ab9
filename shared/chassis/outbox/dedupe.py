"""Consumer-side deduplication: an event id is claimed in the same transaction as its effect.

The relay (and MQTT at QoS 1) deliver at least once, so a consumer may see an event twice. The
claim is a row in `processed_events`, inserted by the transaction that applies the event: both
commit together or neither does, so a crash between them can neither lose nor double the effect.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from chassis.outbox.tables import processed_events_table as _processed

if TYPE_CHECKING:
    from chassis.db import Database, UnitOfWork


class EventClaims(Protocol):
    """What a consumer (the MQTT bus) needs: claim an event id inside its transaction."""

    def claim(self, session: Session, event_id: int) -> bool: ...


class ProcessedEvents:
    """The `processed_events` table of one consumer (a handler, or the whole service).

    >>> claims = ProcessedEvents("devices.task-completed")
    >>> with database.unit_of_work() as uow:
    ...     if claims.claim(uow.session, event.id):
    ...         resolve_alarm(uow, event.data)
    ...     uow.commit()
    """

    def __init__(self, consumer: str = "default") -> None:
        self.consumer = consumer

    def claim(self, session: Session, event_id: int) -> bool:
        """True the first time `event_id` is claimed; False if a committed transaction (or one
        in flight, which this waits for on PostgreSQL) already did. Undone on rollback."""
        values = {
            "consumer": self.consumer,
            "event_id": event_id,
            "processed_at": datetime.now(UTC),
        }
        dialect = session.get_bind().dialect.name
        statement: Executable
        # RETURNING tells whether the row went in (drivers' rowcount for INSERT is unreliable).
        if dialect == "postgresql":
            statement = (
                postgresql.insert(_processed)
                .values(values)
                .on_conflict_do_nothing()
                .returning(_processed.c.event_id)
            )
        elif dialect == "sqlite":
            statement = (
                sqlite.insert(_processed)
                .values(values)
                .on_conflict_do_nothing()
                .returning(_processed.c.event_id)
            )
        else:
            raise NotImplementedError(f"no insert-if-absent for {dialect}")
        return session.execute(statement).first() is not None


async def process_once(
    database: Database,
    claims: EventClaims,
    event_id: int,
    work: Callable[[UnitOfWork], None],
) -> bool:
    """Apply `work` unless `event_id` was processed already; claim and effect commit together.

    Returns whether the work ran. Runs in a worker thread, like `Database.transaction`.
    """

    def once(uow: UnitOfWork) -> bool:
        if not claims.claim(uow.session, event_id):
            return False
        work(uow)
        return True

    return await database.transaction(once)
