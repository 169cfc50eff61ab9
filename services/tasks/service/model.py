"""The task and its history: what the business records, and how a task changes.

Plain Python (no framework, no SQL): the tables they are stored in are the adapters'
(`adapters/tables.py`), and a change is kept only when the service saves the task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from contracts.tasks import Priority, TaskStatus
from tasks.service.workflow import allowed_transitions, check_transition

# urgent first: the list's "priority" sort is ascending on this rank.
PRIORITY_RANK: dict[str, int] = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
NO_DUE_DATE = 2**62  # sorts tasks without a due date after every dated one


def now() -> datetime:
    return datetime.now(UTC)


def due_sort(due_at: datetime | None) -> int:
    """The due date as a sortable integer (epoch ms), tasks without one last."""
    return NO_DUE_DATE if due_at is None else int(due_at.timestamp() * 1000)


@dataclass(kw_only=True)
class Task:
    """A piece of maintenance work, opened by a person or for a device's alarm."""

    id: int
    title: str
    description: str = ""
    priority: str
    priority_rank: int
    status: str
    due_at: datetime | None = None
    due_sort: int
    labels: list[str] = field(default_factory=list)
    source: str
    device_id: int | None = None
    alarm_id: int | None = None
    reporter_id: str
    assignee_id: int | None = None
    created_at: datetime
    updated_at: datetime

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


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """One change to a task: who did what, when, and why (when the system did it)."""

    id: int
    task_id: int
    at: datetime
    actor_id: str | None = None
    action: str
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
