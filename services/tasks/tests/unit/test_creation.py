"""Opening a task: who may open which, the assignee checked with users, an alarm's task once."""

from __future__ import annotations

import pytest

from contracts.tasks import TaskAssigned, TaskCreated
from tasks.service.access import Actor
from tasks.service.creation import NewTask, open_task
from tasks.service.errors import AssigneeCheckUnavailable, AssigneeNotAssignable, NotAllowed
from tasks.service.ports import Assignee
from tasks.tests.unit.fakes import FakeAnswering, FakeDirectory, FakeTransactions

TECHNICIAN = Actor("7", "technician")
OPERATOR = Actor("2", "operator")
DEVICES = Actor("devices", "service")
USERS = (
    Assignee(id=7, role="technician", active=True),
    Assignee(id=8, role="technician", active=True),
    Assignee(id=9, role="technician", active=False),
    Assignee(id=10, role="admin", active=True),
)
LEAK = NewTask(title="Fix the leak")


def an_alarm(alarm_id: int = 500) -> NewTask:
    return NewTask(title="Pressure high", source="alarm", device_id=40, alarm_id=alarm_id)


@pytest.fixture
def store() -> FakeTransactions:
    return FakeTransactions()


@pytest.fixture
def users() -> FakeDirectory:
    return FakeDirectory(*USERS)


@pytest.fixture
def answer(store: FakeTransactions) -> FakeAnswering:
    return FakeAnswering(store)


async def test_a_task_opens_open_with_the_caller_as_its_reporter(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    task = await open_task(LEAK, actor=TECHNICIAN, directory=users, answer=answer)

    assert (task.status, task.reporter_id, task.assignee_id) == ("open", "7", None)
    assert store.tasks.get(task.id) == task


async def test_opening_a_task_announces_it(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    task = await open_task(LEAK, actor=TECHNICIAN, directory=users, answer=answer)

    assert store.events == [
        TaskCreated(task_id=task.id, title="Fix the leak", priority="normal", reporter_id=7)
    ]


async def test_opening_a_task_is_the_first_entry_of_its_history(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    task = await open_task(LEAK, actor=TECHNICIAN, directory=users, answer=answer)

    [entry] = store.tasks.history(task.id, limit=10, cursor=None).items
    assert (entry.action, entry.actor_id, entry.changes) == (
        "created",
        "7",
        {"status": [None, "open"]},
    )


async def test_a_technician_may_open_a_task_assigned_only_to_themselves(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    new = NewTask(title="Fix the leak", assignee_id=7)

    task = await open_task(new, actor=TECHNICIAN, directory=users, answer=answer)

    assert store.tasks.get(task.id) is not None
    assert task.assignee_id == 7


async def test_a_technician_may_not_open_a_task_assigned_to_someone_else(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    new = NewTask(title="Fix the leak", assignee_id=8)

    with pytest.raises(NotAllowed):
        await open_task(new, actor=TECHNICIAN, directory=users, answer=answer)
    assert store.tasks.tasks == {}
    assert users.asked == []


async def test_a_task_opened_with_an_assignee_announces_the_assignment(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    new = NewTask(title="Fix the leak", assignee_id=8)

    task = await open_task(new, actor=OPERATOR, directory=users, answer=answer)

    assert store.events[-1] == TaskAssigned(task_id=task.id, assignee_id=8, assigned_by=2)


@pytest.mark.parametrize(
    ("assignee_id", "why"),
    [(404, "does not exist"), (9, "is not active"), (10, "only technicians and operators")],
)
async def test_an_assignee_users_does_not_vouch_for_is_refused(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering, assignee_id: int, why: str
) -> None:
    new = NewTask(title="Fix the leak", assignee_id=assignee_id)

    with pytest.raises(AssigneeNotAssignable, match=why):
        await open_task(new, actor=OPERATOR, directory=users, answer=answer)
    assert store.tasks.tasks == {}
    assert store.events == []


async def test_while_users_cannot_answer_no_task_with_an_assignee_opens(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    users.down = True

    with pytest.raises(AssigneeCheckUnavailable):
        await open_task(
            NewTask(title="Fix the leak", assignee_id=8),
            actor=OPERATOR,
            directory=users,
            answer=answer,
        )
    assert store.tasks.tasks == {}


async def test_a_task_without_an_assignee_opens_while_users_cannot_answer(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    users.down = True

    task = await open_task(LEAK, actor=TECHNICIAN, directory=users, answer=answer)

    assert store.tasks.get(task.id) is not None


async def test_a_technician_may_not_open_an_alarms_task(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    with pytest.raises(NotAllowed):
        await open_task(an_alarm(), actor=TECHNICIAN, directory=users, answer=answer)
    assert store.tasks.tasks == {}


async def test_an_alarms_task_is_opened_once(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    first = await open_task(an_alarm(), actor=DEVICES, directory=users, answer=answer)
    again = await open_task(an_alarm(), actor=DEVICES, directory=users, answer=answer)

    assert again.id == first.id
    assert list(store.tasks.tasks) == [first.id]
    assert [type(e) for e in store.events] == [TaskCreated]


async def test_an_alarm_asked_for_again_is_answered_with_its_task_as_a_retry(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    await open_task(an_alarm(), actor=DEVICES, directory=users, answer=answer)
    await open_task(an_alarm(), actor=OPERATOR, directory=users, answer=answer)

    assert answer.replays == [False, True]


async def test_each_alarm_gets_its_own_task(
    store: FakeTransactions, users: FakeDirectory, answer: FakeAnswering
) -> None:
    first = await open_task(an_alarm(500), actor=DEVICES, directory=users, answer=answer)
    second = await open_task(an_alarm(501), actor=DEVICES, directory=users, answer=answer)

    assert first.id != second.id
    assert answer.replays == [False, False]
