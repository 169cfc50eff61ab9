"""Editing a task's fields and moving it through its statuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from contracts.tasks import Priority, TaskCompleted, TaskStatus, TaskStatusChanged
from tasks.service.access import Actor, check_may_edit, check_may_move, scope, visible
from tasks.service.history import entry
from tasks.service.model import HistoryEntry, Task, now
from tasks.service.ports import Page, TaskQuery, TaskRow, TaskWork

EDITABLE = ("title", "description", "priority", "due_at", "labels")


def find_task(task_id: int, *, actor: Actor, work: TaskWork) -> Task:
    """The task, if the actor may see it (TaskNotFound otherwise)."""
    return visible(actor, work.tasks.get(task_id), task_id)


def find_tasks(query: TaskQuery, *, actor: Actor, work: TaskWork) -> Page[TaskRow]:
    """The tasks matching `query` among those the actor may see."""
    return work.tasks.find(replace(query, visible_to=scope(actor)))


def task_history(
    task_id: int, *, actor: Actor, work: TaskWork, limit: int, cursor: str | None
) -> Page[HistoryEntry]:
    """The task's changes, oldest first, if the actor may see the task."""
    find_task(task_id, actor=actor, work=work)
    return work.tasks.history(task_id, limit=limit, cursor=cursor)


def update_task(task_id: int, changes: dict[str, Any], *, actor: Actor, work: TaskWork) -> Task:
    """Apply the given field changes (only those given); records what actually changed."""
    task = find_task(task_id, actor=actor, work=work)
    check_may_edit(actor, task)
    diff: dict[str, list[Any]] = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValueError(f"{name} is not an editable field")
        before = getattr(task, name)
        if before == value:
            continue
        diff[name] = [_json(before), _json(value)]
        _set(task, name, value)
    if diff:
        task.updated_at = now()
        work.tasks.save(task)
        if "labels" in diff:
            work.tasks.labels_changed(task)
        work.tasks.record(entry(task, actor.id, "updated", diff))
    return task


def move_task(task_id: int, to: TaskStatus, *, actor: Actor, work: TaskWork) -> Task:
    """Follow the status machine; the move is recorded and announced (done: completed too)."""
    task = find_task(task_id, actor=actor, work=work)
    check_may_move(actor, task)
    at = now()
    previous = task.move_to(to, at)
    work.tasks.save(task)
    work.tasks.record(entry(task, actor.id, "status_changed", {"status": [previous, to]}))
    work.events.record(
        TaskStatusChanged(
            task_id=task.id, from_status=previous, to_status=to, changed_by=actor.user_id
        )
    )
    if to == "done":
        work.events.record(
            TaskCompleted(
                task_id=task.id,
                completed_by=actor.user_id,
                completed_at=at,
                device_id=task.device_id,
                alarm_id=task.alarm_id,
            )
        )
    return task


def _set(task: Task, name: str, value: Any) -> None:
    if name == "priority":
        priority: Priority = value
        task.set_priority(priority)
    elif name == "due_at":
        task.set_due(value)
    elif name == "labels":
        task.labels = list(value)
    else:
        setattr(task, name, value)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
