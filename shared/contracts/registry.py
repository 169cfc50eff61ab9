"""Every event type that crosses services, by (type, version): the one list consumers look up."""

from __future__ import annotations

from contracts.devices import AlarmRaised, AlarmResolved, DeviceOffline
from contracts.envelope import EventData
from contracts.tasks import TaskAssigned, TaskCompleted, TaskCreated, TaskStatusChanged
from contracts.users import AccessRevoked, UserDeactivated, UserRegistered

EVENT_TYPES: tuple[type[EventData], ...] = (
    UserRegistered,
    UserDeactivated,
    AccessRevoked,
    TaskCreated,
    TaskAssigned,
    TaskStatusChanged,
    TaskCompleted,
    AlarmRaised,
    AlarmResolved,
    DeviceOffline,
)


def event_model(event_type: str, version: int = 1) -> type[EventData] | None:
    """The data model of `event_type` at `version`, or None when Fleet has no such event."""
    for model in EVENT_TYPES:
        if model.event_type == event_type and model.event_version == version:
            return model
    return None
