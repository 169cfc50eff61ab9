"""In-memory stand-ins for the service layer's ports. Each subclasses the port it stands in
for, so mypy proves it matches (a method the port gains or changes fails the check here).

Like the SQL adapter, the fakes hand out copies: a change the service makes to a task is kept
only when it saves it, and a transaction that raises keeps nothing.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from chassis.testing import RecordedEvents
from contracts import EventData
from tasks.service.errors import AssigneeCheckUnavailable, WriteConflict
from tasks.service.model import NO_DUE_DATE, PRIORITY_RANK, HistoryEntry, Task
from tasks.service.ports import (
    Answering,
    Assignee,
    AssigneeDirectory,
    Page,
    TaskQuery,
    TaskRepository,
    TaskRow,
    TaskWork,
)
from tasks.service.workflow import OPEN_STATUSES

T = TypeVar("T")
_ids = itertools.count(1_000)


def a_task(reporter_id: str = "1", assignee_id: int | None = None, **fields: Any) -> Task:
    at = datetime(2030, 1, 1, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": next(_ids),
        "title": "Replace the pump seal",
        "priority": "normal",
        "priority_rank": PRIORITY_RANK["normal"],
        "status": "open",
        "due_sort": NO_DUE_DATE,
        "source": "manual",
        "reporter_id": reporter_id,
        "assignee_id": assignee_id,
        "created_at": at,
        "updated_at": at,
    }
    return Task(**(values | fields))


class FakeTasks(TaskRepository):
    def __init__(self, *tasks: Task) -> None:
        self.tasks = {task.id: copy.deepcopy(task) for task in tasks}
        self.entries: list[HistoryEntry] = []

    def get(self, task_id: int) -> Task | None:
        return copy.deepcopy(self.tasks.get(task_id))

    def add(self, task: Task) -> Task:
        # SQL meets the unique alarm index at commit; either way the transaction keeps nothing.
        if task.alarm_id is not None and self._for_alarm(task.alarm_id) is not None:
            raise WriteConflict
        self.tasks[task.id] = copy.deepcopy(task)
        return task

    def save(self, task: Task) -> None:
        self.tasks[task.id] = copy.deepcopy(task)

    def labels_changed(self, task: Task) -> None:
        """Labels are searched in the stored task itself here: nothing to keep in line."""

    def record(self, entry: HistoryEntry) -> None:
        self.entries.append(entry)

    def for_alarm(self, alarm_id: int) -> Task | None:
        return copy.deepcopy(self._for_alarm(alarm_id))

    def find(self, query: TaskQuery) -> Page[TaskRow]:
        seen = [
            t for t in self.tasks.values() if query.visible_to is None or query.visible_to.covers(t)
        ]
        rows: list[TaskRow] = [vars(t) for t in sorted(seen, key=lambda t: t.id)]
        return Page(rows[: query.limit])

    def history(self, task_id: int, *, limit: int, cursor: str | None) -> Page[HistoryEntry]:
        return Page([e for e in self.entries if e.task_id == task_id][:limit])

    def open_assigned_to(self, user_id: int) -> list[Task]:
        return [
            copy.deepcopy(t)
            for t in self.tasks.values()
            if t.assignee_id == user_id and t.status in OPEN_STATUSES
        ]

    def _for_alarm(self, alarm_id: int) -> Task | None:
        return next((t for t in self.tasks.values() if t.alarm_id == alarm_id), None)


class FakeWork(TaskWork):
    def __init__(self, tasks: FakeTasks, events: RecordedEvents) -> None:
        self._tasks, self._events = tasks, events

    @property
    def tasks(self) -> FakeTasks:
        return self._tasks

    @property
    def events(self) -> RecordedEvents:
        return self._events


class FakeTransactions:
    """A `Transaction` on one in-memory store: work runs on a copy, kept only if it returns."""

    def __init__(self, *tasks: Task) -> None:
        self.work = FakeWork(FakeTasks(*tasks), RecordedEvents())
        self.count = 0

    @property
    def tasks(self) -> FakeTasks:
        return self.work.tasks

    @property
    def events(self) -> list[EventData]:
        return self.work.events.recorded

    async def __call__(self, work: Callable[[TaskWork], T]) -> T:
        self.count += 1
        staged = copy.deepcopy(self.work)
        result = work(staged)
        self.work = staged
        return result


class FakeAnswering(Answering[Task]):
    """Answers with the task itself; `replays` holds whether each answer was a retry's."""

    def __init__(self, transactions: FakeTransactions) -> None:
        self.transactions = transactions
        self.replays: list[bool] = []

    async def __call__(self, work: Callable[[TaskWork], Task], *, replayed: bool) -> Task:
        task = await self.transactions(work)
        self.replays.append(replayed)
        return task


class FakeDirectory(AssigneeDirectory):
    """Users as a dict of assignees; `down` makes it answer as users does when unreachable."""

    def __init__(self, *assignees: Assignee) -> None:
        self.assignees = {a.id: a for a in assignees}
        self.down = False
        self.asked: list[int] = []

    async def find(self, user_id: int) -> Assignee | None:
        self.check_available()
        self.asked.append(user_id)
        return self.assignees.get(user_id)

    def check_available(self) -> None:
        if self.down:
            raise AssigneeCheckUnavailable("users is unavailable", 1)
