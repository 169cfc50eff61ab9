"""The task and its history: what the business records, and how a task changes.

The classes are SQLModel tables (the fleet's convention); queries live in the repository only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import UtcDateTime
from contracts import Priority, TaskStatus
from tasks.service.workflow import allowed_transitions, check_transition

# urgent first: the list's "priority" sort is ascending on this rank.
PRIORITY_RANK: dict[str, int] = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
NO_DUE_DATE = 2**62  # sorts tasks without a due date after every dated one


def now() -> datetime:
    return datetime.now(UTC)


def due_sort(due_at: datetime | None) -> int:
    """The due date as a sortable integer (epoch ms), tasks without one last."""
    return NO_DUE_DATE if due_at is None else int(due_at.timestamp() * 1000)


class Task(SQLModel, table=True):
    """A piece of maintenance work, opened by a person or for a device's alarm."""

    __tablename__ = "task"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    title: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    priority: str = Field(sa_column=sa.Column(sa.String(10), nullable=False))
    priority_rank: int = Field(sa_column=sa.Column(sa.SmallInteger, nullable=False))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    due_at: datetime | None = Field(default=None, sa_column=sa.Column(UtcDateTime, nullable=True))
    due_sort: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    labels: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    source: str = Field(sa_column=sa.Column(sa.String(10), nullable=False))
    device_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    alarm_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    reporter_id: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    assignee_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))

    @property
    def current_status(self) -> TaskStatus:
        return self.status  # type: ignore[return-value]

    @property
    def allowed_transitions(self) -> list[TaskStatus]:
        """Where the task may go next."""
        return list(allowed_transitions(self.current_status))

    def set_priority(self, priority: Priority) -> None:
        self.priority, self.priority_rank = priority, PRIORITY_RANK[priority]

    def set_due(self, due_at: datetime | None) -> None:
        self.due_at, self.due_sort = due_at, due_sort(due_at)

    def move_to(self, to: TaskStatus, at: datetime) -> TaskStatus:
        """Follow the status machine to `to`; returns the status left behind."""
        current = self.current_status
        check_transition(current, to)
        self.status, self.updated_at = to, at
        return current

    def assign(self, assignee_id: int | None, at: datetime) -> int | None:
        """Hand the task to `assignee_id` (None: unassign); returns the previous assignee."""
        previous, self.assignee_id, self.updated_at = self.assignee_id, assignee_id, at
        return previous


class HistoryEntry(SQLModel, table=True):
    """One change to a task: who did what, when, and why (when the system did it)."""

    __tablename__ = "task_history"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    task_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False, index=True))
    at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    actor_id: str | None = Field(default=None, sa_column=sa.Column(sa.String(64), nullable=True))
    action: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
