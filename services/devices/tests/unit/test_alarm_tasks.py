"""Every raised alarm gets its maintenance task: opened round by round until tasks answers,
linked once, never opened twice."""

from __future__ import annotations

import pytest

from devices.service.alarm_tasks import AlarmTasks
from devices.service.alarms import Alarm
from devices.tests.unit.fakes import FakeAlarmTransactions, FakeTaskOpener, an_alarm


@pytest.fixture
def tasks() -> FakeTaskOpener:
    return FakeTaskOpener()


def _loop(store: FakeAlarmTransactions, tasks: FakeTaskOpener) -> AlarmTasks:
    return AlarmTasks(store, tasks, retry_interval=60.0)


def _task_of(store: FakeAlarmTransactions, alarm: Alarm) -> int | None:
    stored = store.alarms.get(alarm.id)
    assert stored is not None
    return stored.task_id


async def test_a_pending_alarm_gets_its_task_opened_and_linked(tasks: FakeTaskOpener) -> None:
    alarm = an_alarm()
    store = FakeAlarmTransactions(alarm)
    assert await _loop(store, tasks).open_pending() == 1
    assert _task_of(store, alarm) == tasks.tasks[alarm.id]


async def test_alarms_are_opened_oldest_first(tasks: FakeTaskOpener) -> None:
    older, newer = an_alarm(), an_alarm()
    await _loop(FakeAlarmTransactions(newer, older), tasks).open_pending()
    assert [alarm_id for alarm_id, _ in tasks.asked] == [older.id, newer.id]


async def test_the_task_is_asked_for_under_the_correlation_id_of_the_reading(
    tasks: FakeTaskOpener,
) -> None:
    alarm = an_alarm(correlation_id="reading-42")
    await _loop(FakeAlarmTransactions(alarm), tasks).open_pending()
    assert tasks.asked == [(alarm.id, "reading-42")]


async def test_while_tasks_is_down_the_alarm_stays_pending(tasks: FakeTaskOpener) -> None:
    alarm = an_alarm()
    store = FakeAlarmTransactions(alarm)
    tasks.down = True
    assert await _loop(store, tasks).open_pending() == 0
    assert _task_of(store, alarm) is None


async def test_the_next_round_opens_what_a_failed_round_left(tasks: FakeTaskOpener) -> None:
    alarm = an_alarm()
    store = FakeAlarmTransactions(alarm)
    loop = _loop(store, tasks)
    tasks.down = True
    await loop.open_pending()
    tasks.down = False
    assert await loop.open_pending() == 1
    assert _task_of(store, alarm) == tasks.tasks[alarm.id]


async def test_the_first_failure_ends_the_round_leaving_later_alarms_for_the_next(
    tasks: FakeTaskOpener,
) -> None:
    first, failing, later = an_alarm(), an_alarm(), an_alarm()
    store = FakeAlarmTransactions(first, failing, later)
    tasks.failing.add(failing.id)
    assert await _loop(store, tasks).open_pending() == 1
    assert [alarm_id for alarm_id, _ in tasks.asked] == [first.id, failing.id]
    assert _task_of(store, later) is None


async def test_health_shows_how_many_alarms_wait_and_why(tasks: FakeTaskOpener) -> None:
    loop = _loop(FakeAlarmTransactions(an_alarm(), an_alarm()), tasks)
    tasks.down = True
    await loop.open_pending()
    health = loop.health()
    assert health.status == "up"  # optional: the alarms wait, the service keeps serving
    assert health.info["pending"] == 2
    assert "503" in health.info["last_error"]


async def test_health_forgets_the_error_once_a_round_goes_through(tasks: FakeTaskOpener) -> None:
    loop = _loop(FakeAlarmTransactions(an_alarm()), tasks)
    tasks.down = True
    await loop.open_pending()
    tasks.down = False
    await loop.open_pending()
    assert loop.health().info == {"pending": 0, "last_error": None}


async def test_an_alarm_that_has_its_task_is_not_opened_again(tasks: FakeTaskOpener) -> None:
    store = FakeAlarmTransactions(an_alarm(task_id=5))
    assert await _loop(store, tasks).open_pending() == 0
    assert tasks.asked == []


async def test_a_linked_alarm_is_not_asked_about_in_later_rounds(tasks: FakeTaskOpener) -> None:
    loop = _loop(FakeAlarmTransactions(an_alarm()), tasks)
    await loop.open_pending()
    await loop.open_pending()
    assert len(tasks.asked) == 1


async def test_an_alarm_another_replica_linked_meanwhile_keeps_its_first_task() -> None:
    alarm = an_alarm()
    store = FakeAlarmTransactions(alarm)

    class RacedOpener(FakeTaskOpener):
        async def open_alarm_task(self, alarm: Alarm) -> int:
            await store(lambda work: work.alarms.link_task(alarm.id, 1))  # the other replica
            return await super().open_alarm_task(alarm)

    await _loop(store, RacedOpener()).open_pending()
    assert _task_of(store, alarm) == 1
