"""Opening a task, at most once per device alarm (once per Idempotency-Key: the chassis)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar

from chassis.db import next_id
from contracts.tasks import Priority, TaskAssigned, TaskCreated
from tasks.service.access import Actor, check_may_open, visible
from tasks.service.assignment import verify_assignee
from tasks.service.errors import WriteConflict
from tasks.service.history import entry, subject_id
from tasks.service.model import PRIORITY_RANK, Task, due_sort, now
from tasks.service.ports import Answering, AssigneeDirectory, TaskWork

A = TypeVar("A")


@dataclass(frozen=True)
class NewTask:
    """What a caller asks for; the reporter is the caller."""

    title: str
    description: str = ""
    priority: Priority = "normal"
    due_at: datetime | None = None
    labels: tuple[str, ...] = field(default_factory=tuple)
    source: Literal["manual", "alarm"] = "manual"
    device_id: int | None = None
    alarm_id: int | None = None
    assignee_id: int | None = None


async def open_task(
    new: NewTask, *, actor: Actor, directory: AssigneeDirectory, answer: Answering[A]
) -> A:
    """Open a task and answer with it; or, for an alarm that has its task already (opened by
    an earlier request under another key, or none), answer with that one as a retry's answer,
    if the actor may see it. The assignee, if any, is checked with users first.

    Optimistically: the task's rows go in with the commit, in one round trip. Only when that
    commit meets the alarm's task (the unique alarm index) is it looked up.
    """
    check_may_open(actor, alarm=new.source == "alarm", assignee_id=new.assignee_id)
    if new.assignee_id is not None:
        await verify_assignee(new.assignee_id, directory=directory)
    try:
        return await answer(lambda work: _write(next_id(), new, actor, work), replayed=False)
    except WriteConflict:
        alarm_id = new.alarm_id
        if alarm_id is None:
            raise
    return await answer(lambda work: _alarm_task(work, alarm_id, actor), replayed=True)


def _write(task_id: int, new: NewTask, actor: Actor, work: TaskWork) -> Task:
    task = _open(task_id, new, actor)
    work.tasks.add(task)
    work.tasks.record(entry(task, actor.id, "created", {"status": [None, "open"]}))
    work.events.record(
        TaskCreated(
            task_id=task.id,
            title=task.title,
            priority=new.priority,
            reporter_id=subject_id(actor.id),
            assignee_id=task.assignee_id,
            source=new.source,
            device_id=task.device_id,
            alarm_id=task.alarm_id,
            due_at=task.due_at,
        )
    )
    if task.assignee_id is not None:
        work.events.record(
            TaskAssigned(task_id=task.id, assignee_id=task.assignee_id, assigned_by=actor.user_id)
        )
    return task


def _open(task_id: int, new: NewTask, actor: Actor) -> Task:
    at = now()
    return Task(
        id=task_id,
        title=new.title,
        description=new.description,
        priority=new.priority,
        priority_rank=PRIORITY_RANK[new.priority],
        status="open",
        due_at=new.due_at,
        due_sort=due_sort(new.due_at),
        labels=list(new.labels),
        source=new.source,
        device_id=new.device_id,
        alarm_id=new.alarm_id,
        reporter_id=actor.id,
        assignee_id=new.assignee_id,
        created_at=at,
        updated_at=at,
    )


def _alarm_task(work: TaskWork, alarm_id: int, actor: Actor) -> Task:
    # The conflict was the alarm's task, committed; one the actor may not see is not shown.
    task = work.tasks.for_alarm(alarm_id)
    if task is None:  # the conflict was another unique row: nothing to answer with
        raise WriteConflict
    return visible(actor, task, task.id)
