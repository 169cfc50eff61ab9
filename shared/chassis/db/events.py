"""The unit of work's hook for events: it collects them, a store above it writes them.

The database layer knows no outbox. `uow.emit` collects `PendingEvent`s; at commit the unit of
work asks the registered `EventStore` for the rows that hold them and inserts those in the same
transaction as the change. `chassis.outbox` registers itself as that store when it is imported
(every service that emits imports it: its settings, relay and migrations come from there).

Once that transaction has committed (never before, never after a rollback), the unit of work
tells its database's `EventCommits`, where whatever publishes the rows (the outbox relay) listens:
it looks at once instead of at its next poll.

>>> store_events_with(lambda events: (my_events_table, [{"id": e.id, ...} for e in events]))
>>> stop_listening = database.event_commits.listen(relay.wake)  # called in the committing thread
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chassis.db.inserts import Rows
from contracts import Event, EventData


class EventLog(Protocol):
    """What the domain layer records its events with: a unit of work (`UnitOfWork.record`)
    or a test's fake. The event commits with the change it belongs to."""

    def record(
        self,
        data: EventData,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
    ) -> Event[Any]: ...


@dataclass(frozen=True)
class PendingEvent:
    """One event waiting to be published: its id, topic and encoded payload."""

    id: int
    topic: str
    payload: bytes


EventStore = Callable[[Sequence[PendingEvent]], Rows]
"""The rows that store `events`, inserted with the commit that emitted them."""

_stores: list[EventStore] = []


class NoEventStore(RuntimeError):
    """Events were emitted, but nothing registered a place to store them."""


def store_events_with(store: EventStore) -> None:
    """Make `store` the place every unit of work writes its events at commit."""
    _stores[:] = [store]


def event_rows(events: Sequence[PendingEvent]) -> list[Rows]:
    """The rows to insert for `events` (none for none)."""
    if not events:
        return []
    if not _stores:
        raise NoEventStore(
            "events were emitted but no event store is registered: import chassis.outbox, "
            "which stores them as outbox rows"
        )
    return [_stores[0](events)]


class EventCommits:
    """Who hears that a unit of work of one database committed events (a relay of its outbox).

    A listener is called in the thread that committed, right after the commit: it must only hand
    the news on (`BackgroundLoop.wake` is safe from any thread) and never raise.
    """

    def __init__(self) -> None:
        self._listeners: tuple[Callable[[], None], ...] = ()
        self._changing = threading.Lock()

    def listen(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every commit with events; returns what stops that."""
        with self._changing:
            self._listeners = (*self._listeners, listener)

        def stop() -> None:
            with self._changing:
                self._listeners = tuple(other for other in self._listeners if other is not listener)

        return stop

    def committed(self) -> None:
        """A unit of work has committed events (called by it, after its commit)."""
        for listener in self._listeners:  # a tuple, replaced whole: safe to read unlocked
            listener()
