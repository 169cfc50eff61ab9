"""SQL lives here and only here: tasks, their history and labels.

The filtered list is inline SQL (SQLAlchemy core): one statement whose WHERE grows with the
filters, keyset-paginated on (sort key, id) so page 1000 costs what page 1 does.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from chassis.db import InvalidCursor, UnitOfWork
from tasks.adapters.tables import (
    HistoryRecord,
    TaskRecord,
    columns,
    history_table,
    label_table,
    task_table,
)
from tasks.service.errors import TaskNotFound
from tasks.service.model import HistoryEntry, Task
from tasks.service.ports import Page, TaskQuery, TaskRepository, TaskRow
from tasks.service.workflow import OPEN_STATUSES

_t = task_table.c
# sort -> (key column, descending)
_SORTS: dict[str, tuple[str, bool]] = {
    "created": ("id", False),
    "-created": ("id", True),
    "due": ("due_sort", False),
    "-due": ("due_sort", True),
    "priority": ("priority_rank", False),
    "-priority": ("priority_rank", True),
}
_CURSOR = re.compile(r"^(-?\d{1,19})\.(\d{1,19})$")
_BIGINT = 2**63 - 1  # the largest values of a bigint and of a smallint column
_SMALLINT = 2**15 - 1


class SqlTaskRepository(TaskRepository):
    """Rows in, domain objects out. A task read here stays in the session's identity map, so
    `save` finds its row without a query and the commit writes only what changed."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.session = uow.session
        self.uow = uow

    def get(self, task_id: int) -> Task | None:
        record = self.session.get(TaskRecord, task_id)
        return None if record is None else record.to_domain()

    def add(self, task: Task) -> Task:
        # New rows go in at commit, with the history and the outbox: one round trip.
        self.uow.insert(task_table, columns(task, task_table))
        self._insert_labels(task)
        return task

    def save(self, task: Task) -> None:
        record = self.session.get(TaskRecord, task.id)
        if record is None:
            raise TaskNotFound(task.id)
        record.update_from(task)

    def labels_changed(self, task: Task) -> None:
        self.session.execute(sa.delete(label_table).where(label_table.c.task_id == task.id))
        self._insert_labels(task)

    def record(self, entry: HistoryEntry) -> None:
        self.uow.insert(history_table, columns(entry, history_table))

    def for_alarm(self, alarm_id: int) -> Task | None:
        statement = sa.select(TaskRecord).where(_t.alarm_id == alarm_id)
        record = self.session.scalars(statement).first()
        return None if record is None else record.to_domain()

    def find(self, query: TaskQuery) -> Page[TaskRow]:
        name, descending = _SORTS[query.sort]
        key = _t[name]
        # Rows, not ORM objects: a page is the hot read, and nothing on it is changed.
        statement = sa.select(task_table).where(*_filters(query))
        if query.cursor is not None:
            after_key, after_id = _parse_cursor(query.cursor, _bound(key))
            if descending:
                statement = statement.where(sa.tuple_(key, _t.id) < (after_key, after_id))
            else:
                statement = statement.where(sa.tuple_(key, _t.id) > (after_key, after_id))
        order: list[sa.ColumnElement[Any]]
        if name == "id":
            order = [_t.id.desc() if descending else _t.id]
        else:
            order = [key.desc(), _t.id.desc()] if descending else [key, _t.id]
        result = self.session.execute(statement.order_by(*order).limit(query.limit + 1))
        # Plain dicts: copying a RowMapping key by key costs more than reading the rows.
        names = list(result.keys())
        found: list[TaskRow] = [dict(zip(names, row, strict=True)) for row in result]
        tasks = found[: query.limit]
        more = len(found) > query.limit
        last = tasks[-1] if tasks else None
        cursor = f"{last[name]}.{last['id']}" if more and last else None
        return Page(tasks, cursor)

    def history(self, task_id: int, *, limit: int, cursor: str | None) -> Page[HistoryEntry]:
        statement = sa.select(HistoryRecord).where(history_table.c.task_id == task_id)
        if cursor is not None:
            statement = statement.where(history_table.c.id > _parse_cursor(f"0.{cursor}")[1])
        found = list(self.session.scalars(statement.order_by(history_table.c.id).limit(limit + 1)))
        entries = [record.to_domain() for record in found[:limit]]
        more = len(found) > limit and entries
        return Page(entries, str(entries[-1].id) if more else None)

    def open_assigned_to(self, user_id: int) -> list[Task]:
        statement = sa.select(TaskRecord).where(
            _t.assignee_id == user_id, _t.status.in_(OPEN_STATUSES)
        )
        return [record.to_domain() for record in self.session.scalars(statement.with_for_update())]

    def _insert_labels(self, task: Task) -> None:
        rows = [{"label": label, "task_id": task.id} for label in sorted(set(task.labels))]
        self.uow.insert(label_table, *rows)


def _filters(query: TaskQuery) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if query.visible_to is not None:
        mine = _t.reporter_id == query.visible_to.subject
        user_id = query.visible_to.user_id
        where.append(mine if user_id is None else sa.or_(mine, _t.assignee_id == user_id))
    if query.status is not None:
        where.append(_t.status == query.status)
    if query.assignee_id is not None:
        where.append(_t.assignee_id == query.assignee_id)
    if query.reporter_id is not None:
        where.append(_t.reporter_id == query.reporter_id)
    if query.device_id is not None:
        where.append(_t.device_id == query.device_id)
    if query.priority is not None:
        where.append(_t.priority == query.priority)
    if query.due_before is not None:
        where.append(_t.due_at < query.due_before)
    if query.label is not None:
        labelled = sa.select(label_table.c.task_id).where(
            label_table.c.label == query.label, label_table.c.task_id == _t.id
        )
        where.append(sa.exists(labelled))
    return where


def _bound(column: sa.ColumnElement[Any]) -> int:
    """Past its column's range, a cursor's key compares with every row as the range's bound."""
    return _SMALLINT if isinstance(column.type, sa.SmallInteger) else _BIGINT


def _parse_cursor(cursor: str, key_bound: int = _BIGINT) -> tuple[int, int]:
    match = _CURSOR.match(cursor)
    if match is None:
        raise InvalidCursor(f"invalid cursor {cursor!r}")
    # Past a column's range a cursor points past every row, as the range's bound does: clamped,
    # it pages (to nothing, or from the start) instead of overflowing the query parameter.
    key, task_id = (int(g) for g in match.groups())
    return _clamp(key, key_bound), _clamp(task_id, _BIGINT)


def _clamp(value: int, bound: int) -> int:
    return max(-bound, min(value, bound))
