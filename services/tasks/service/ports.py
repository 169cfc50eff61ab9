"""What the service layer needs from the outside, as interfaces: storage, events, users."""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, Protocol, TypeVar

from chassis.db import EventLog
from contracts.tasks import Priority, TaskStatus
from tasks.service.model import HistoryEntry, Task

T = TypeVar("T")
A_co = TypeVar("A_co", covariant=True)
Sort = Literal["created", "-created", "due", "-due", "priority", "-priority"]
TaskRow = Mapping[str, Any]
"""A task's columns by name, as a list reads them: read-only, and several times cheaper to
load than a page of Task objects."""


@dataclass(frozen=True)
class Scope:
    """The tasks a technician sees: reported by `subject`, or assigned to `user_id`."""

    subject: str
    user_id: int | None

    def covers(self, task: Task) -> bool:
        assigned = self.user_id is not None and task.assignee_id == self.user_id
        return assigned or task.reporter_id == self.subject


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks a list shows, in which order, from where. `visible_to`: the caller's scope
    (`access.scope`); None shows every task."""

    status: TaskStatus | None = None
    assignee_id: int | None = None
    reporter_id: str | None = None
    device_id: int | None = None
    priority: Priority | None = None
    label: str | None = None
    due_before: datetime | None = None
    sort: Sort = "created"
    limit: int = 50
    cursor: str | None = None
    visible_to: Scope | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class TaskRepository(abc.ABC):
    """Tasks and their history."""

    @abc.abstractmethod
    def get(self, task_id: int) -> Task | None: ...

    @abc.abstractmethod
    def add(self, task: Task) -> Task:
        """Stage a new task (with its labels) for the commit."""

    @abc.abstractmethod
    def save(self, task: Task) -> None:
        """Keep the changes made to a task read from here (a task is a plain object: changing
        it changes nothing stored until it is saved)."""

    @abc.abstractmethod
    def labels_changed(self, task: Task) -> None:
        """Keep what label filters search in line with `task.labels`."""

    @abc.abstractmethod
    def record(self, entry: HistoryEntry) -> None: ...

    @abc.abstractmethod
    def for_alarm(self, alarm_id: int) -> Task | None:
        """The task opened for device alarm `alarm_id` (at most one: a unique index)."""

    @abc.abstractmethod
    def find(self, query: TaskQuery) -> Page[TaskRow]: ...

    @abc.abstractmethod
    def history(self, task_id: int, *, limit: int, cursor: str | None) -> Page[HistoryEntry]: ...

    @abc.abstractmethod
    def open_assigned_to(self, user_id: int) -> list[Task]: ...


class TaskWork(Protocol):
    """One transaction's view: the tasks, and events that commit with the change."""

    @property
    def tasks(self) -> TaskRepository: ...

    @property
    def events(self) -> EventLog: ...


Transaction = Callable[[Callable[[TaskWork], T]], Awaitable[T]]
"""Runs `work(tasks_work)` in one committed transaction, off the event loop; WriteConflict
when the commit meets a unique row written first by another request."""


class Answering(Protocol[A_co]):
    """Runs `work(tasks_work)` in one committed transaction and answers with the task it
    returns (as a retry's answer if `replayed`). A retry of a request answered before (same
    Idempotency-Key and body) gets that answer again, and its work is undone. WriteConflict
    when the commit meets a unique row another request wrote first."""

    async def __call__(self, work: Callable[[TaskWork], Task], *, replayed: bool) -> A_co: ...


@dataclass(frozen=True)
class Assignee:
    """What users says about a would-be assignee."""

    id: int
    role: str
    active: bool
    username: str | None = field(default=None)


class AssigneeDirectory(Protocol):
    """Asks users about people. Raises AssigneeCheckUnavailable when users cannot answer."""

    async def find(self, user_id: int) -> Assignee | None: ...

    def check_available(self) -> None:
        """Raise AssigneeCheckUnavailable at once when users is known to be down."""
