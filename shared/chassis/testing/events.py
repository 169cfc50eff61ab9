"""The chassis's EventLog in memory, for unit tests of a service layer through its ports."""

from __future__ import annotations

from typing import Any

from chassis.db import EventLog, next_id
from contracts import Event, EventData


class RecordedEvents(EventLog):
    """`events` holds the envelopes recorded, in order; `recorded` their data."""

    def __init__(self, source: str = "test") -> None:
        self.source = source
        self.events: list[Event[Any]] = []

    @property
    def recorded(self) -> list[EventData]:
        return [event.data for event in self.events]

    def record(
        self,
        data: EventData,
        *,
        correlation_id: str | None = None,
        traceparent: str | None = None,
    ) -> Event[Any]:
        event = Event.of(
            data,
            id=next_id(),
            source=self.source,
            correlation_id=correlation_id,
            traceparent=traceparent,
        )
        self.events.append(event)
        return event
