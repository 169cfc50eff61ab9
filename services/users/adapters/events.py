"""The service's events, recorded in the outbox of the current unit of work."""

from __future__ import annotations

from chassis.context import current_correlation_id
from chassis.db import UnitOfWork, next_id
from contracts import Event, EventData, topics

SOURCE = "users"


class OutboxEvents:
    """An `EventLog` writing to the unit of work's outbox: the event commits with the change."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def record(self, event: EventData) -> None:
        envelope = Event.of(
            event, id=next_id(), source=SOURCE, correlation_id=current_correlation_id()
        )
        self._uow.emit(topics.event(SOURCE, event.event_type), envelope)
