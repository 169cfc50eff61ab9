"""Who sees, edits, moves and assigns a task."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.service.access import (
    Actor,
    check_may_assign,
    check_may_edit,
    check_may_move,
    check_may_open,
    may_see,
    visible,
)
from tasks.service.errors import NotAllowed, TaskNotFound
from tasks.service.model import Task

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _task(reporter: str = "1", assignee: int | None = 2) -> Task:
    return Task(
        id=10,
        title="t",
        priority="normal",
        priority_rank=2,
        status="open",
        due_sort=0,
        source="manual",
        reporter_id=reporter,
        assignee_id=assignee,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize("role", ["operator", "admin", "service"])
def test_operators_admins_and_services_see_every_task(role: str) -> None:
    assert may_see(Actor("99", role), _task())


def test_a_technician_sees_a_task_assigned_to_them() -> None:
    assert may_see(Actor("2", "technician"), _task(assignee=2))


def test_a_technician_sees_a_task_they_reported() -> None:
    assert may_see(Actor("1", "technician"), _task(reporter="1"))


def test_another_technicians_task_is_not_found_rather_than_forbidden() -> None:
    with pytest.raises(TaskNotFound):
        visible(Actor("3", "technician"), _task(), 10)


def test_the_assignee_may_move_the_task() -> None:
    check_may_move(Actor("2", "technician"), _task(assignee=2))


def test_the_reporter_who_is_not_the_assignee_may_not_move_it() -> None:
    with pytest.raises(NotAllowed):
        check_may_move(Actor("1", "technician"), _task(reporter="1", assignee=2))


def test_the_reporter_may_edit_the_fields() -> None:
    check_may_edit(Actor("1", "technician"), _task(reporter="1"))


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_operators_and_admins_move_and_assign_any_task(role: str) -> None:
    check_may_move(Actor("99", role), _task())
    check_may_assign(Actor("99", role), 7)
    check_may_assign(Actor("99", role), None)


def test_technicians_do_not_assign_others() -> None:
    with pytest.raises(NotAllowed):
        check_may_assign(Actor("2", "technician"), 3)


def test_a_technician_may_take_work_for_themselves() -> None:
    check_may_assign(Actor("2", "technician"), 2)


def test_a_technician_may_not_take_work_away() -> None:
    with pytest.raises(NotAllowed):
        check_may_assign(Actor("2", "technician"), None)


def test_services_do_not_assign() -> None:
    with pytest.raises(NotAllowed):
        check_may_assign(Actor("devices", "service"), 7)


def test_a_technician_may_not_open_an_alarm_task() -> None:
    with pytest.raises(NotAllowed):
        check_may_open(Actor("2", "technician"), alarm=True, assignee_id=None)


@pytest.mark.parametrize("role", ["operator", "admin", "service"])
def test_operators_admins_and_services_open_alarm_tasks(role: str) -> None:
    check_may_open(Actor("99", role), alarm=True, assignee_id=None)
