"""Who may take a task, asked of users through a port; assigning and unassigning."""

from __future__ import annotations

from contracts.tasks import TaskAssigned
from tasks.service.access import Actor, check_may_assign
from tasks.service.changes import find_task
from tasks.service.errors import AssigneeNotAssignable
from tasks.service.history import entry, id_text
from tasks.service.model import Task, now
from tasks.service.ports import Assignee, AssigneeDirectory, TaskWork, Transaction
from tasks.service.workflow import OPEN_STATUSES

ASSIGNABLE_ROLES = frozenset({"technician", "operator"})


def check_assignable(user_id: int, assignee: Assignee | None) -> None:
    """Only existing, active technicians and operators take tasks."""
    if assignee is None:
        raise AssigneeNotAssignable(f"user {user_id} does not exist")
    if not assignee.active:
        raise AssigneeNotAssignable(f"user {user_id} is not active")
    if assignee.role not in ASSIGNABLE_ROLES:
        raise AssigneeNotAssignable(
            f"user {user_id} is a {assignee.role}; only technicians and operators take tasks"
        )


async def verify_assignee(user_id: int, *, directory: AssigneeDirectory) -> None:
    """Ask users about `user_id`; AssigneeCheckUnavailable when users cannot say now."""
    check_assignable(user_id, await directory.find(user_id))


async def assign_task(
    task_id: int,
    assignee_id: int | None,
    *,
    actor: Actor,
    directory: AssigneeDirectory,
    transaction: Transaction[Task],
) -> Task:
    """Hand the task to `assignee_id` (None: take it back), after users vouched for them.

    While users is known to be down (its breaker open) this fails fast, before any other work.
    """
    check_may_assign(actor, assignee_id)
    if assignee_id is not None:
        directory.check_available()
    await transaction(lambda work: find_task(task_id, actor=actor, work=work))
    if assignee_id is not None:
        await verify_assignee(assignee_id, directory=directory)
    return await transaction(lambda work: _assign(work, task_id, assignee_id, actor))


def _assign(work: TaskWork, task_id: int, assignee_id: int | None, actor: Actor) -> Task:
    task = find_task(task_id, actor=actor, work=work)
    if task.assignee_id == assignee_id:
        return task
    previous = task.assign(assignee_id, now())
    work.tasks.save(task)
    action = "assigned" if assignee_id is not None else "unassigned"
    changes = {"assignee_id": [id_text(previous), id_text(assignee_id)]}
    work.tasks.record(entry(task, actor.id, action, changes))
    work.events.record(
        TaskAssigned(
            task_id=task.id,
            assignee_id=assignee_id,
            previous_assignee_id=previous,
            assigned_by=actor.user_id,
        )
    )
    return task


def unassign_user(user_id: int, reason: str | None, *, work: TaskWork) -> list[int]:
    """Take a deactivated user's open tasks back; returns their ids."""
    why = f"user {user_id} was deactivated" + (f": {reason}" if reason else "")
    changed = []
    for task in work.tasks.open_assigned_to(user_id):
        if task.status not in OPEN_STATUSES:
            continue
        task.assign(None, now())
        work.tasks.save(task)
        changes = {"assignee_id": [str(user_id), None]}
        work.tasks.record(entry(task, None, "unassigned", changes, reason=why))
        work.events.record(
            TaskAssigned(task_id=task.id, assignee_id=None, previous_assignee_id=user_id)
        )
        changed.append(task.id)
    return changed
