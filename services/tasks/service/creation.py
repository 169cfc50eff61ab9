"""Opening a task, once per Idempotency-Key and at most once per device alarm."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from chassis.db import next_id
from contracts import Priority, TaskAssigned, TaskCreated
from tasks.service.access import Actor, check_may_open, visible
from tasks.service.assignment import verify_assignee
from tasks.service.errors import IdempotencyKeyReused, WriteConflict
from tasks.service.history import entry, subject_id
from tasks.service.model import PRIORITY_RANK, Task, due_sort, now
from tasks.service.ports import AssigneeDirectory, TaskWork, Transaction


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

    def fingerprint(self) -> str:
        """Equal for equal requests: tells a retry from a reused key."""
        fields = asdict(self)
        fields["due_at"] = self.due_at.isoformat() if self.due_at else None
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Created:
    task: Task
    replayed: bool  # an earlier request made it (same key, or same alarm)


async def open_task(
    new: NewTask,
    *,
    actor: Actor,
    directory: AssigneeDirectory,
    transaction: Transaction[Created],
    idempotency_key: str | None = None,
) -> Created:
    """Open a task, or return the one an earlier identical request (or the same alarm) opened,
    if the actor may see it.

    Optimistically first: the claims commit with the task, in the same round trip. When an
    earlier request holds one, that commit fails, and the careful way answers: claim first,
    then decide. The assignee, if any, is checked with users first.
    """
    check_may_open(actor, alarm=new.source == "alarm", assignee_id=new.assignee_id)
    if new.assignee_id is not None:
        await verify_assignee(new.assignee_id, directory=directory)
    try:
        return await transaction(lambda work: _staked(new, actor, work, idempotency_key))
    except WriteConflict:
        return await transaction(lambda work: _claimed_first(new, actor, work, idempotency_key))


def _staked(new: NewTask, actor: Actor, work: TaskWork, idempotency_key: str | None) -> Created:
    task_id, fingerprint = next_id(), new.fingerprint()
    if new.alarm_id is not None:
        work.tasks.stake("alarm", str(new.alarm_id), fingerprint, task_id)
    if idempotency_key is not None:
        work.tasks.stake(f"caller:{actor.id}", idempotency_key, fingerprint, task_id)
    return Created(_write(task_id, new, actor, work), replayed=False)


def _claimed_first(
    new: NewTask, actor: Actor, work: TaskWork, idempotency_key: str | None
) -> Created:
    task_id, fingerprint = next_id(), new.fingerprint()
    target = task_id
    earlier_alarm = None
    if new.alarm_id is not None:
        earlier_alarm = work.tasks.claim("alarm", str(new.alarm_id), fingerprint, task_id)
        target = earlier_alarm.task_id if earlier_alarm else task_id
    if idempotency_key is not None:
        earlier = work.tasks.claim(f"caller:{actor.id}", idempotency_key, fingerprint, target)
        if earlier is not None:
            if earlier.fingerprint != fingerprint:
                raise IdempotencyKeyReused(idempotency_key)
            return Created(_existing(work, earlier.task_id, actor), replayed=True)
    if earlier_alarm is not None:
        return Created(_existing(work, target, actor), replayed=True)
    return Created(_write(task_id, new, actor, work), replayed=False)


def _write(task_id: int, new: NewTask, actor: Actor, work: TaskWork) -> Task:
    task = _open(task_id, new, actor)
    work.tasks.add(task)
    work.tasks.record(entry(task, actor.id, "created", {"status": [None, "open"]}))
    work.publish(
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
        work.publish(
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


def _existing(work: TaskWork, task_id: int, actor: Actor) -> Task:
    # The claim commits with its task, so a missing one means the data was tampered with; one
    # the actor may not see is not shown by a replay either.
    return visible(actor, work.tasks.get(task_id), task_id)
