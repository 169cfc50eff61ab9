"""Who may see, open, change, move and assign a task: the policy, once, for every route.

Seeing is decided by `scope` alone: `may_see` (get, history, replays, every change) and the list
query (`find_tasks`) both read it, so no route can show what another hides.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.ids import parse_id
from tasks.service.errors import NotAllowed, TaskNotFound
from tasks.service.model import Task
from tasks.service.ports import Scope

_SEE_ALL = frozenset({"admin", "operator", "service"})
_MANAGE = frozenset({"admin", "operator"})
_OPEN_ALARM_TASKS = frozenset({"admin", "operator", "service"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: the token's subject as issued (`id`), its role, its user id if a user."""

    id: str
    role: str

    @property
    def user_id(self) -> int | None:
        return parse_id(self.id)


def scope(actor: Actor) -> Scope | None:
    """The tasks `actor` may see: None for all (operators, admins, services); a technician's
    scope holds the tasks assigned to them or reported by them."""
    if actor.role in _SEE_ALL:
        return None
    return Scope(subject=actor.id, user_id=actor.user_id)


def may_see(actor: Actor, task: Task) -> bool:
    mine = scope(actor)
    return mine is None or mine.covers(task)


def visible(actor: Actor, task: Task | None, task_id: int) -> Task:
    """The task if `actor` may see it; otherwise TaskNotFound, as if it did not exist."""
    if task is None or not may_see(actor, task):
        raise TaskNotFound(task_id)
    return task


def check_may_open(actor: Actor, *, alarm: bool, assignee_id: int | None) -> None:
    """Anyone opens a task. Alarm tasks come from the fleet's services (devices), operators
    and admins: an alarm's task belongs to whoever it is assigned to, not to a technician who
    names the alarm. Opening a task assigned to someone is assigning (see `check_may_assign`)."""
    if alarm and actor.role not in _OPEN_ALARM_TASKS:
        raise NotAllowed("only operators, admins and the fleet's services open alarm tasks")
    if assignee_id is not None:
        check_may_assign(actor, assignee_id)


def check_may_assign(actor: Actor, assignee_id: int | None) -> None:
    """Operators and admins hand out work to anyone (or take it back); a technician may take
    work only for themselves, on a task they can see."""
    if actor.role in _MANAGE:
        return
    if actor.role == "technician" and assignee_id is not None and assignee_id == actor.user_id:
        return
    raise NotAllowed("only operators and admins assign tasks to others")


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
