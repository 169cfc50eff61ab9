"""Who may see, change, move and assign a task: the policy, once, for every route."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.ids import parse_id
from tasks.service.errors import NotAllowed, TaskNotFound
from tasks.service.model import Task

_SEE_ALL = frozenset({"admin", "operator", "service"})
_MANAGE = frozenset({"admin", "operator"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: the token's subject as issued (`id`), its role, its user id if a user."""

    id: str
    role: str

    @property
    def user_id(self) -> int | None:
        return parse_id(self.id)

    @property
    def sees_everything(self) -> bool:
        return self.role in _SEE_ALL


def may_see(actor: Actor, task: Task) -> bool:
    """Operators, admins and services see all; technicians what is theirs (assigned or reported)."""
    if actor.sees_everything:
        return True
    mine = actor.user_id is not None and task.assignee_id == actor.user_id
    return mine or task.reporter_id == actor.id


def visible(actor: Actor, task: Task | None, task_id: int) -> Task:
    """The task if `actor` may see it; otherwise TaskNotFound, as if it did not exist."""
    if task is None or not may_see(actor, task):
        raise TaskNotFound(task_id)
    return task


def check_may_move(actor: Actor, task: Task) -> None:
    """Only the assignee, operators and admins move a task through its statuses."""
    if actor.role in _MANAGE:
        return
    if actor.user_id is None or task.assignee_id != actor.user_id:
        raise NotAllowed("only the assignee, operators and admins move this task")


def check_may_edit(actor: Actor, task: Task) -> None:
    """The reporter, the assignee, operators and admins edit a task's fields."""
    if actor.role in _MANAGE or task.reporter_id == actor.id:
        return
    check_may_move(actor, task)


def check_may_assign(actor: Actor) -> None:
    """Operators and admins hand out work."""
    if actor.role not in _MANAGE:
        raise NotAllowed("only operators and admins assign tasks")
