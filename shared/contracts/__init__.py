"""Fleet's event contracts: the envelope, every event and device payload, and the topic names.

Producers and consumers import one definition, as a shared schema repository would hold it:

>>> from contracts import Event, TaskCompleted, topics
>>> event = Event.of(TaskCompleted(task_id=7, completed_at=now), id=next_id(), source="tasks")
>>> await bus.publish(topics.event("tasks", event.type), event)
>>> async def on_completed(event: Event[TaskCompleted]) -> None: ...   # a consumer's handler

`python -m contracts.schema <dir>` exports them as JSON Schema for other languages.
"""

from contracts import topics
from contracts.devices import (
    AlarmRaised,
    AlarmResolved,
    Command,
    CommandAck,
    DeviceOffline,
    DeviceStatus,
    Reading,
    Telemetry,
)
from contracts.envelope import Event, EventData
from contracts.ids import SnowflakeId
from contracts.registry import EVENT_TYPES, event_model
from contracts.tasks import (
    Priority,
    TaskAssigned,
    TaskCompleted,
    TaskCreated,
    TaskStatus,
    TaskStatusChanged,
)
from contracts.users import AccessRevocations, AccessRevoked, Role, UserDeactivated, UserRegistered

__all__ = [
    "EVENT_TYPES",
    "AccessRevocations",
    "AccessRevoked",
    "AlarmRaised",
    "AlarmResolved",
    "Command",
    "CommandAck",
    "DeviceOffline",
    "DeviceStatus",
    "Event",
    "EventData",
    "Priority",
    "Reading",
    "Role",
    "SnowflakeId",
    "TaskAssigned",
    "TaskCompleted",
    "TaskCreated",
    "TaskStatus",
    "TaskStatusChanged",
    "Telemetry",
    "UserDeactivated",
    "UserRegistered",
    "event_model",
    "topics",
]
