"""The status machine of a task, in the business's words.

    open -> in_progress -> done -> reopened -> in_progress
    open | in_progress -> cancelled

Anything else is refused with the moves that are allowed from where the task stands.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.tasks import TaskStatus
from tasks.service.errors import TransitionNotAllowed

TRANSITIONS: Mapping[TaskStatus, tuple[TaskStatus, ...]] = {
    "open": ("in_progress", "cancelled"),
    "in_progress": ("done", "cancelled"),
    "done": ("reopened",),
    "reopened": ("in_progress",),
    "cancelled": (),
}

OPEN_STATUSES: tuple[TaskStatus, ...] = ("open", "in_progress", "reopened")
"""Work still to do: what a deactivated user's tasks are unassigned from."""


def allowed_transitions(status: TaskStatus) -> tuple[TaskStatus, ...]:
    """Where a task in `status` may go next (none from cancelled: it is final)."""
    return TRANSITIONS[status]


def check_transition(current: TaskStatus, to: TaskStatus) -> None:
    """Raise TransitionNotAllowed unless a task may move from `current` to `to`."""
    allowed = TRANSITIONS[current]
    if to not in allowed:
        raise TransitionNotAllowed(current, to, allowed)
