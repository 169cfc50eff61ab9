"""Events the tasks service publishes."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import EventData
from contracts.ids import SnowflakeId

TaskStatus = Literal["open", "in_progress", "done", "cancelled", "reopened"]
Priority = Literal["low", "normal", "high", "urgent"]


class TaskCreated(EventData):
    """A task was opened, by a person (`manual`) or for a device alarm (`alarm`)."""

    event_type = "task.created"

    task_id: SnowflakeId
    title: str
    priority: Priority
    reporter_id: SnowflakeId
    assignee_id: SnowflakeId | None = None
    source: Literal["manual", "alarm"] = "manual"
    device_id: SnowflakeId | None = Field(None, description="Set when source is alarm.")
    alarm_id: SnowflakeId | None = Field(None, description="Set when source is alarm.")
    due_at: AwareDatetime | None = None


class TaskAssigned(EventData):
    """A task got a new assignee (or lost it: `assignee_id` null)."""

    event_type = "task.assigned"

    task_id: SnowflakeId
    assignee_id: SnowflakeId | None
    previous_assignee_id: SnowflakeId | None = None
    assigned_by: SnowflakeId | None = Field(None, description="Null when the system unassigned.")


class TaskStatusChanged(EventData):
    """A task moved through its status machine."""

    event_type = "task.status_changed"

    task_id: SnowflakeId
    from_status: TaskStatus
    to_status: TaskStatus
    changed_by: SnowflakeId | None = None


class TaskCompleted(EventData):
    """A task reached `done`; devices resolves the alarm it was opened for."""

    event_type = "task.completed"

    task_id: SnowflakeId
    completed_by: SnowflakeId | None = None
    completed_at: AwareDatetime
    device_id: SnowflakeId | None = None
    alarm_id: SnowflakeId | None = None
