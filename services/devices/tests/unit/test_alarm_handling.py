"""Alarms as the service layer handles them: raised and announced by a batch of readings,
cleared by later ones, resolved once when their task is completed."""

from __future__ import annotations

import itertools

import pytest

from chassis.testing import RecordedEvents
from contracts.devices import AlarmRaised, AlarmResolved
from devices.service.alarm_handling import (
    CORRELATION_ID_MAX,
    browse_alarms,
    find_alarm,
    resolve_for_task,
    watch_readings,
)
from devices.service.alarms import AlarmFilter, from_epoch_us
from devices.service.errors import AlarmNotFound
from devices.service.ingestion import Received, Sample
from devices.service.thresholds import Threshold
from devices.tests.unit.fakes import AT, FakeAlarms, an_alarm

DEVICE = 7
THRESHOLDS = {DEVICE: {"temperature": Threshold(high=80, high_clear=75)}}


def _message(*values: float, correlation_id: str | None = "msg-1", start: int = 1) -> Received:
    samples = [
        Sample(DEVICE, "temperature", (start + n) * 1_000_000, v) for n, v in enumerate(values)
    ]
    return Received(samples, correlation_id)


def _watch(alarms: FakeAlarms, events: RecordedEvents, *received: Received) -> list[int]:
    raised = watch_readings(
        received, THRESHOLDS, alarms=alarms, events=events, ids=itertools.count(1).__next__
    )
    return [a.id for a in raised]


def test_a_reading_past_its_threshold_raises_a_stored_alarm() -> None:
    alarms = FakeAlarms()
    [alarm_id] = _watch(alarms, RecordedEvents(), _message(85))
    stored = alarms.get(alarm_id)
    assert stored is not None
    assert (stored.state, stored.value, stored.threshold) == ("raised", 85, 80)


def test_a_raised_alarm_is_announced() -> None:
    events = RecordedEvents()
    [alarm_id] = _watch(FakeAlarms(), events, _message(85))
    assert events.recorded == [
        AlarmRaised(
            alarm_id=alarm_id,
            device_id=DEVICE,
            metric="temperature",
            value=85,
            threshold=80,
            raised_at=from_epoch_us(1_000_000),
        )
    ]


def test_readings_within_their_thresholds_store_and_announce_nothing() -> None:
    alarms, events = FakeAlarms(), RecordedEvents()
    assert _watch(alarms, events, _message(70, 79)) == []
    assert (alarms.rows, events.recorded) == ({}, [])


def test_metrics_without_thresholds_store_and_announce_nothing() -> None:
    alarms, events = FakeAlarms(), RecordedEvents()
    humidity = Received([Sample(DEVICE, "humidity", 1_000_000, 1e6)], "msg-1")
    assert _watch(alarms, events, humidity) == []
    assert (alarms.rows, events.recorded) == ({}, [])


def test_each_alarm_carries_the_correlation_id_of_the_message_that_raised_it() -> None:
    alarms, events = FakeAlarms(), RecordedEvents()
    other_device = Received([Sample(8, "temperature", 1_000_000, 90)], "msg-2")
    thresholds = THRESHOLDS | {8: THRESHOLDS[DEVICE]}
    watch_readings(
        [_message(85, correlation_id="msg-1"), other_device],
        thresholds,
        alarms=alarms,
        events=events,
        ids=itertools.count(1).__next__,
    )
    stored = {a.device_id: a.correlation_id for a in alarms.rows.values()}
    assert stored == {DEVICE: "msg-1", 8: "msg-2"}
    assert sorted(e.correlation_id or "" for e in events.events) == ["msg-1", "msg-2"]


def test_an_alarm_keeps_the_trace_of_its_reading_and_its_event_carries_it() -> None:
    alarms, events = FakeAlarms(), RecordedEvents()
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    reading = Received(_message(85).samples, "msg-1", traceparent)
    [alarm_id] = _watch(alarms, events, reading)
    stored = alarms.get(alarm_id)
    assert stored is not None
    assert stored.traceparent == traceparent  # the task opened for it continues this trace
    assert [e.traceparent for e in events.events] == [traceparent]


def test_a_long_correlation_id_is_kept_only_as_far_as_the_alarm_holds() -> None:
    alarms = FakeAlarms()
    [alarm_id] = _watch(alarms, RecordedEvents(), _message(85, correlation_id="x" * 500))
    stored = alarms.get(alarm_id)
    assert stored is not None
    assert stored.correlation_id == "x" * CORRELATION_ID_MAX


def test_an_alarm_cleared_in_its_own_batch_is_stored_cleared_with_its_correlation_id() -> None:
    alarms = FakeAlarms()
    [alarm_id] = _watch(alarms, RecordedEvents(), _message(85, 70, correlation_id="msg-1"))
    stored = alarms.get(alarm_id)
    assert stored is not None
    assert (stored.cleared_at, stored.correlation_id) == (from_epoch_us(2_000_000), "msg-1")


def test_a_disarmed_metric_raises_nothing_new() -> None:
    earlier = an_alarm(device_id=DEVICE, raised_at=from_epoch_us(0))
    alarms, events = FakeAlarms(earlier), RecordedEvents()
    assert _watch(alarms, events, _message(95)) == []
    assert (list(alarms.rows), events.recorded) == ([earlier.id], [])


def test_a_reading_back_at_the_clear_level_clears_the_stored_alarm() -> None:
    earlier = an_alarm(device_id=DEVICE, raised_at=from_epoch_us(0))
    alarms = FakeAlarms(earlier)
    _watch(alarms, RecordedEvents(), _message(74, start=3))
    stored = alarms.get(earlier.id)
    assert stored is not None
    assert stored.cleared_at == from_epoch_us(3_000_000)


def test_completing_its_task_resolves_the_alarm_and_announces_it() -> None:
    alarm = an_alarm(task_id=55)
    alarms, events = FakeAlarms(alarm), RecordedEvents()
    resolve_for_task(55, alarm.id, at=AT, alarms=alarms, events=events)
    assert alarms.get(alarm.id) == alarm.resolve(AT)
    assert events.recorded == [
        AlarmResolved(alarm_id=alarm.id, device_id=alarm.device_id, task_id=55, resolved_at=AT)
    ]


def test_an_alarm_whose_task_was_not_linked_yet_is_found_by_its_id() -> None:
    alarm = an_alarm()  # tasks completed it before the link was stored
    alarms = FakeAlarms(alarm)
    resolved = resolve_for_task(55, alarm.id, at=AT, alarms=alarms, events=RecordedEvents())
    assert resolved is not None
    assert (resolved.state, resolved.task_id) == ("resolved", 55)


def test_a_completion_delivered_twice_resolves_and_announces_once() -> None:
    alarm = an_alarm(task_id=55)
    alarms, events = FakeAlarms(alarm), RecordedEvents()
    resolve_for_task(55, alarm.id, at=AT, alarms=alarms, events=events)
    resolve_for_task(55, alarm.id, at=AT.replace(year=2031), alarms=alarms, events=events)
    assert len(events.recorded) == 1
    assert alarms.get(alarm.id) == alarm.resolve(AT)


def test_a_task_opened_for_no_alarm_resolves_nothing() -> None:
    alarms, events = FakeAlarms(an_alarm(task_id=55)), RecordedEvents()
    assert resolve_for_task(66, None, at=AT, alarms=alarms, events=events) is None
    assert events.recorded == []


def test_an_unknown_alarm_is_not_found() -> None:
    with pytest.raises(AlarmNotFound):
        find_alarm(1, alarms=FakeAlarms())


def test_browsing_alarms_passes_the_filter_on_and_hands_back_the_cursor() -> None:
    raised = [an_alarm(), an_alarm()]
    alarms = FakeAlarms(*raised, an_alarm(state="resolved"))
    page, cursor = browse_alarms(AlarmFilter(state="raised"), limit=1, cursor=None, alarms=alarms)
    rest, end = browse_alarms(AlarmFilter(state="raised"), limit=1, cursor=cursor, alarms=alarms)
    assert (page + rest, end) == (raised, None)
