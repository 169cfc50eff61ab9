"""Assigning a task: who may hand it to whom, users vouching for the assignee, and taking a
deactivated user's open work back."""

from __future__ import annotations

import pytest

from contracts.tasks import TaskAssigned
from tasks.service.access import Actor
from tasks.service.assignment import assign_task, unassign_user
from tasks.service.errors import (
    AssigneeCheckUnavailable,
    AssigneeNotAssignable,
    NotAllowed,
    TaskNotFound,
)
from tasks.service.model import Task
from tasks.service.ports import Assignee
from tasks.tests.unit.fakes import FakeDirectory, FakeTransactions, a_task

TECHNICIAN = Actor("7", "technician")
OPERATOR = Actor("2", "operator")
USERS = (
    Assignee(id=7, role="technician", active=True),
    Assignee(id=8, role="operator", active=True),
    Assignee(id=9, role="technician", active=False),
    Assignee(id=10, role="admin", active=True),
)


@pytest.fixture
def task() -> Task:
    return a_task(reporter_id="7", assignee_id=None)


@pytest.fixture
def store(task: Task) -> FakeTransactions:
    return FakeTransactions(task)


@pytest.fixture
def users() -> FakeDirectory:
    return FakeDirectory(*USERS)


def _stored(store: FakeTransactions, task: Task) -> Task:
    found = store.tasks.get(task.id)
    assert found is not None
    return found


async def test_an_operator_hands_a_task_to_an_active_operator(
    task: Task, store: FakeTransactions, users: FakeDirectory
) -> None:
    await assign_task(task.id, 8, actor=OPERATOR, directory=users, transaction=store)

    assert _stored(store, task).assignee_id == 8


async def test_an_assignment_is_announced_with_who_had_the_task_before(
    users: FakeDirectory,
) -> None:
    task = a_task(assignee_id=7)
    store = FakeTransactions(task)

    await assign_task(task.id, 8, actor=OPERATOR, directory=users, transaction=store)

    assert store.events == [
        TaskAssigned(task_id=task.id, assignee_id=8, previous_assignee_id=7, assigned_by=2)
    ]


async def test_an_assignment_is_recorded_in_the_tasks_history(
    task: Task, store: FakeTransactions, users: FakeDirectory
) -> None:
    await assign_task(task.id, 8, actor=OPERATOR, directory=users, transaction=store)

    [entry] = store.tasks.history(task.id, limit=10, cursor=None).items
    assert (entry.action, entry.actor_id, entry.changes) == (
        "assigned",
        "2",
        {"assignee_id": [None, "8"]},
    )


async def test_a_technician_takes_a_task_they_see_for_themselves(
    task: Task, store: FakeTransactions, users: FakeDirectory
) -> None:
    await assign_task(task.id, 7, actor=TECHNICIAN, directory=users, transaction=store)

    assert _stored(store, task).assignee_id == 7


async def test_a_technician_may_not_hand_a_task_to_someone_else(
    task: Task, store: FakeTransactions, users: FakeDirectory
) -> None:
    with pytest.raises(NotAllowed):
        await assign_task(task.id, 8, actor=TECHNICIAN, directory=users, transaction=store)
    assert _stored(store, task).assignee_id is None


async def test_a_task_a_technician_cannot_see_is_not_found(users: FakeDirectory) -> None:
    hidden = a_task(reporter_id="3", assignee_id=None)
    store = FakeTransactions(hidden)

    with pytest.raises(TaskNotFound):
        await assign_task(hidden.id, 7, actor=TECHNICIAN, directory=users, transaction=store)


@pytest.mark.parametrize(
    ("assignee_id", "why"),
    [(404, "does not exist"), (9, "is not active"), (10, "only technicians and operators")],
)
async def test_an_assignee_users_does_not_vouch_for_is_refused(
    task: Task, store: FakeTransactions, users: FakeDirectory, assignee_id: int, why: str
) -> None:
    with pytest.raises(AssigneeNotAssignable, match=why):
        await assign_task(task.id, assignee_id, actor=OPERATOR, directory=users, transaction=store)
    assert _stored(store, task).assignee_id is None
    assert store.events == []


async def test_while_users_is_known_down_assigning_fails_before_any_work(
    task: Task, store: FakeTransactions, users: FakeDirectory
) -> None:
    users.down = True

    with pytest.raises(AssigneeCheckUnavailable):
        await assign_task(task.id, 8, actor=OPERATOR, directory=users, transaction=store)
    assert store.count == 0


async def test_an_operator_takes_a_task_back_without_asking_users(
    users: FakeDirectory,
) -> None:
    task = a_task(assignee_id=7)
    store = FakeTransactions(task)
    users.down = True

    await assign_task(task.id, None, actor=OPERATOR, directory=users, transaction=store)

    assert _stored(store, task).assignee_id is None


async def test_assigning_a_task_to_its_assignee_changes_nothing(users: FakeDirectory) -> None:
    task = a_task(assignee_id=8)
    store = FakeTransactions(task)

    await assign_task(task.id, 8, actor=OPERATOR, directory=users, transaction=store)

    assert store.events == []
    assert store.tasks.entries == []


async def test_a_deactivated_users_open_tasks_are_taken_back() -> None:
    started = a_task(assignee_id=7, status="in_progress")
    store = FakeTransactions(a_task(assignee_id=7), started)

    taken = await store(lambda work: unassign_user(7, "left", work=work))

    assert len(taken) == 2
    assert [t.assignee_id for t in store.tasks.tasks.values()] == [None, None]


async def test_a_deactivated_users_finished_tasks_keep_them_as_assignee() -> None:
    done = a_task(assignee_id=7, status="done")
    store = FakeTransactions(done)

    taken = await store(lambda work: unassign_user(7, "left", work=work))

    assert taken == []
    assert _stored(store, done).assignee_id == 7


async def test_taking_a_deactivated_users_task_back_says_why() -> None:
    store = FakeTransactions(a_task(assignee_id=7))

    await store(lambda work: unassign_user(7, "left the company", work=work))

    [entry] = store.tasks.entries
    assert entry.reason == "user 7 was deactivated: left the company"
    assert entry.actor_id is None
