"""The public contract of the tasks API: TaskCreate, TaskUpdate, TaskPublic, TaskPage, ..."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from chassis.app import Text
from contracts import SnowflakeId
from contracts.ids import POSITIVE_ID_PATTERN
from contracts.tasks import Priority, TaskStatus


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # A valid RFC 3339 time whose UTC falls outside years 1-9999 (0001-01-01T00:30+01:00):
        # the contract's date-time allows it, so take the calendar's nearest end.
        edge = datetime.min if value.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)


Title = Annotated[Text, Field(min_length=1, max_length=200)]
Label = Annotated[Text, Field(min_length=1, max_length=50)]


def _iso_8601(value: object) -> object:
    # Lax datetimes take numbers (and "0.5") as Unix times: the contract says ISO 8601 text.
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("must be an ISO 8601 date-time") from exc
    if isinstance(value, datetime):
        return value
    raise ValueError("must be an ISO 8601 date-time")


def _id_text(value: object) -> object:
    # Lax ints take numbers (and true) as ids: the contract says a decimal string.
    if isinstance(value, str):
        return value
    raise ValueError("must be a decimal string")


Due = Annotated[datetime, BeforeValidator(_iso_8601), AfterValidator(_utc)]
Labels = Annotated[list[Label], Field(max_length=20)]
IdText = Annotated[SnowflakeId, BeforeValidator(_id_text)]
# Users' ids start at 1: "0" is refused here (422) rather than asked of users.
AssigneeId = Annotated[
    IdText,
    Field(ge=1),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": POSITIVE_ID_PATTERN,
            "description": "A user's snowflake id, as a decimal string.",
        }
    ),
]


class TaskCreate(BaseModel):
    """A new task. `source: alarm` tasks name the device and the alarm they are for."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Annotated[Text, Field(max_length=5000)] = ""
    priority: Priority = "normal"
    due_at: Due | None = Field(None, description="ISO 8601 with an offset.")
    labels: Labels = Field(default_factory=list)
    source: Literal["manual", "alarm"] = "manual"
    device_id: IdText | None = None
    alarm_id: IdText | None = None
    assignee_id: AssigneeId | None = Field(
        None, description="Operators and admins assign anyone; a technician only themselves."
    )

    @model_validator(mode="after")
    def _source_fits(self) -> Self:
        if self.source == "alarm" and (self.device_id is None or self.alarm_id is None):
            raise ValueError("a task with source alarm needs device_id and alarm_id")
        if self.source == "manual" and self.alarm_id is not None:
            raise ValueError("alarm_id is only for tasks with source alarm")
        return self


class TaskUpdate(BaseModel):
    """Fields to change; fields left out stay as they are (`due_at: null` clears it)."""

    model_config = ConfigDict(extra="forbid")

    # Left out, not null: the schema says so (SkipJsonSchema), `changes` refuses a null (422).
    title: Title | SkipJsonSchema[None] = None
    description: Annotated[Text, Field(max_length=5000)] | SkipJsonSchema[None] = None
    priority: Priority | SkipJsonSchema[None] = None
    due_at: Due | None = None
    labels: Labels | SkipJsonSchema[None] = None

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True)
        for name in ("title", "description", "priority", "labels"):
            if given.get(name, "") is None:
                raise ValueError(f"{name} cannot be null")
        return given

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        self.changes()
        return self


class TaskPublic(BaseModel):
    id: SnowflakeId
    title: str
    description: str
    priority: Priority
    status: TaskStatus
    allowed_transitions: list[TaskStatus]
    due_at: datetime | None
    labels: list[str]
    source: Literal["manual", "alarm"]
    device_id: SnowflakeId | None
    alarm_id: SnowflakeId | None
    reporter_id: str = Field(description="Who opened it: a user id, or a service's client id.")
    assignee_id: SnowflakeId | None
    created_at: datetime
    updated_at: datetime


class TaskPage(BaseModel):
    items: list[TaskPublic]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last.")


class AssignmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee_id: AssigneeId | None = Field(description="Who takes the task; null takes it back.")


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: TaskStatus


class HistoryEntryPublic(BaseModel):
    id: SnowflakeId
    task_id: SnowflakeId
    at: datetime
    actor_id: str | None = Field(description="Who: a user or service id; null for the system.")
    action: str = Field(description="created, updated, assigned, unassigned, status_changed.")
    changes: dict[str, Any] = Field(description="Field -> [before, after].")
    reason: str | None


class HistoryPage(BaseModel):
    items: list[HistoryEntryPublic]
    next_cursor: str | None


# Cursors as pages issue them, so a client (or fuzzer) knows one when it sees one; any other
# string is a 422.
TASK_CURSOR = r"^-?[0-9]{1,19}\.[0-9]{1,19}$"
"""`key.id` of the previous page's last task (the key is what the list is sorted by)."""
ID_CURSOR = r"^[0-9]{1,19}$"
"""The last id of the previous page."""
NEXT_PAGE = "The previous page's `next_cursor`."
