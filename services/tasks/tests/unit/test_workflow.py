"""The status machine: the moves the business allows, and the refusal of every other."""

from __future__ import annotations

import itertools

import pytest

from contracts.tasks import TaskStatus
from tasks.service.errors import TransitionNotAllowed
from tasks.service.workflow import TRANSITIONS, allowed_transitions, check_transition

ALLOWED = {
    ("open", "in_progress"),
    ("in_progress", "done"),
    ("open", "cancelled"),
    ("in_progress", "cancelled"),
    ("done", "reopened"),
    ("reopened", "in_progress"),
}
STATUSES: list[TaskStatus] = list(TRANSITIONS)


@pytest.mark.parametrize(("current", "to"), sorted(ALLOWED))
def test_allowed_moves_pass(current: TaskStatus, to: TaskStatus) -> None:
    check_transition(current, to)


@pytest.mark.parametrize(
    ("current", "to"),
    [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED],
)
def test_every_other_move_is_refused(current: TaskStatus, to: TaskStatus) -> None:
    with pytest.raises(TransitionNotAllowed):
        check_transition(current, to)


def test_the_refusal_names_the_moves_allowed_from_the_current_status() -> None:
    with pytest.raises(TransitionNotAllowed, match="allowed from open: in_progress, cancelled"):
        check_transition("open", "done")


def test_a_cancelled_task_goes_nowhere() -> None:
    assert allowed_transitions("cancelled") == ()
