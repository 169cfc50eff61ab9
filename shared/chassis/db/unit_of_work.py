"""The unit of work: one transaction, its session, and the events it will publish."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session

from chassis.context import current_correlation_id
from chassis.db.events import EventCommits, PendingEvent, event_rows
from chassis.db.ids import next_id
from chassis.db.inserts import Rows, insert_rows
from chassis.tracing import current_traceparent
from contracts import Event, EventData, topics


class UnitOfWork:
    """A transaction that rolls back unless committed; events emitted in it commit with it
    (written by the registered event store, `chassis.db.events`: the outbox).

    >>> with database.unit_of_work() as uow:
    ...     uow.session.add(task)
    ...     uow.insert(history_table, {"id": next_id(), "task_id": task.id, ...})
    ...     uow.record(TaskCompleted(task_id=task.id, ...))  # an outbox row, same commit
    ...     uow.commit()

    `source` is the service that publishes what `record` records (`Database(source=...)`);
    `topic_prefix` goes before each event's topic (tests isolate themselves with it);
    `event_commits` hears of each commit that wrote events (the database's: its relay listens).
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        *,
        source: str | None = None,
        topic_prefix: str = "",
        event_commits: EventCommits | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.source = source
        self.topic_prefix = topic_prefix
        self._event_commits = event_commits
        self._session: Session | None = None
        self._events: list[PendingEvent] = []
        self._inserts: list[Rows] = []
        self._wrote = False

    def __enter__(self) -> Self:
        self._session = session = self._session_factory()
        self._forget()
        sa.event.listen(session, "after_flush", self._flushed)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            # Uncommitted writes are undone (and their objects expired, so none lies about the
            # database). A read-only unit of work just closes: what it loaded stays readable.
            if self._wrote or session.new or session.dirty or session.deleted:
                session.rollback()
        finally:
            session.close()
            self._session = None
            self._forget()

    @property
    def session(self) -> Session:
        """The SQLModel session of this transaction (also a SQLAlchemy ORM session)."""
        if self._session is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self._session

    @property
    def events(self) -> tuple[PendingEvent, ...]:
        """Events emitted since the last commit."""
        return tuple(self._events)

    def record(
        self,
        data: EventData,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Event[Any]:
        """Record a domain event: it is written to the outbox on commit, with the state change,
        and published on `fleet/events/{source}/{type}`. Returns its envelope.

        The envelope is stamped here, so every service fills it alike: a new snowflake `id`,
        this unit of work's `source`, `occurred_at` now, the `correlation_id` of the work in
        progress (`chassis.context`: the HTTP request's or the MQTT message's) and, when traced,
        its `traceparent` (what the relay's publish and the consumers' spans link to). The
        outbox stores finished bytes, so an id missing now would be missing for good. Give
        `correlation_id` and `traceparent` for work done on behalf of an earlier message (a batch
        of readings raises each alarm for the reading that crossed the line).
        """
        if self.source is None:
            raise RuntimeError("this unit of work has no source: Database(..., source=<service>)")
        event = Event.of(
            data,
            id=next_id(),
            source=self.source,
            correlation_id=correlation_id or current_correlation_id(),
            traceparent=traceparent or current_traceparent(),
            occurred_at=occurred_at,
        )
        self.emit(self.topic_prefix + topics.event(self.source, data.event_type), event)
        return event

    def emit(self, topic: str, event: BaseModel | bytes, *, event_id: int | None = None) -> int:
        """Queue a message for the outbox; it is written on commit, with the state change.
        Domain events go through `record`; this is for what is not one (a device's command).

        A pydantic model (the contracts' `Event` envelope) is sent as JSON and its `id` becomes
        the outbox id, so consumers can deduplicate by it. Returns that id.
        """
        if isinstance(event, BaseModel):
            payload = event.model_dump_json().encode()
            model_id = getattr(event, "id", None)
            event_id = event_id if event_id is not None else _int_or_none(model_id)
        else:
            payload = bytes(event)
        message = PendingEvent(event_id if event_id is not None else next_id(), topic, payload)
        self._events.append(message)
        return message.id

    def insert(self, table: sa.Table, *rows: Mapping[str, Any]) -> None:
        """Insert new `rows` into `table` at commit, in one statement with every other table's
        rows and the outbox (PostgreSQL). Write-only: reads in this unit of work do not see them
        (add ORM objects to the session for rows you read back)."""
        self._inserts.append((table, rows))

    def commit(self) -> None:
        """Write the inserted rows and the emitted events, and commit them with the session's
        changes; then, if there were events, tell `event_commits` (the relay publishes them)."""
        session = self.session
        with_events = bool(self._events)
        insert_rows(session, [*self._inserts, *event_rows(self._events)])
        session.commit()
        self._forget()
        if with_events and self._event_commits is not None:
            self._event_commits.committed()  # only now: a rolled-back event is never announced

    def rollback(self) -> None:
        """Undo the session's changes and forget the inserted rows and emitted events."""
        self.session.rollback()
        self._forget()

    def _forget(self) -> None:
        self._events, self._inserts, self._wrote = [], [], False

    def _flushed(self, *_: object) -> None:
        self._wrote = True


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
