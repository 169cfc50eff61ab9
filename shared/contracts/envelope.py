"""The envelope every domain event travels in, and the base class of event payloads.

>>> event = Event.of(TaskCompleted(task_id=7, ...), id=next_id(), source="tasks")
>>> event.type, event.version
('task.completed', 1)
>>> Event[TaskCompleted].model_validate_json(raw)  # checks `type` and `version` against the model
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from contracts.ids import SnowflakeId


class EventData(BaseModel):
    """The payload of one event type at one version. Subclasses set `event_type`."""

    model_config = ConfigDict(frozen=True)

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1


DataT = TypeVar("DataT")
D = TypeVar("D", bound=EventData)


class Event(BaseModel, Generic[DataT]):
    """A domain event: what happened, when, where, in which piece of work, and its data.

    Consumers deduplicate by `id`: the outbox relays at least once.
    """

    model_config = ConfigDict(frozen=True)

    id: SnowflakeId = Field(description="Unique per event; consumers deduplicate by it.")
    type: str = Field(description="What happened, e.g. task.completed.", min_length=1)
    version: int = Field(1, ge=1, description="Version of the data's schema for this type.")
    occurred_at: AwareDatetime = Field(description="When it happened (UTC, ISO 8601).")
    source: str = Field(description="The service that published it.", min_length=1)
    correlation_id: str | None = Field(
        None, description="The id of the piece of work that caused it, across services."
    )
    traceparent: str | None = Field(
        None,
        max_length=128,
        description="W3C trace context of the work that recorded it (when traced): consumers "
        "link their spans to it, through the outbox and on any broker.",
    )
    data: DataT

    @model_validator(mode="after")
    def _data_matches_type(self) -> Self:
        # Event[TaskCompleted] must not accept a task.assigned envelope that happens to fit.
        data = self.data
        if isinstance(data, EventData):
            expected = (data.event_type, data.event_version)
            if (self.type, self.version) != expected:
                raise ValueError(
                    f"envelope says {self.type} v{self.version}, data is {expected[0]} "
                    f"v{expected[1]}"
                )
        return self

    @classmethod
    def of(
        cls,
        data: D,
        *,
        id: int,
        source: str,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Event[D]:
        """Wrap `data`, taking the type and version from its class."""
        envelope = _typed(type(data))(
            id=id,
            type=data.event_type,
            version=data.event_version,
            occurred_at=occurred_at or datetime.now(UTC),
            source=source,
            correlation_id=correlation_id,
            traceparent=traceparent,
            data=data,
        )
        return cast("Event[D]", envelope)


@cache
def _typed(kind: type[EventData]) -> Any:
    """Event[kind], made once: pydantic's own cache of it is slow to look up on a hot path."""
    return Event.__class_getitem__(kind)
