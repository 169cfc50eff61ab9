"""Presence: a device's retained status says whether it is online; dropping off is announced."""

from __future__ import annotations

from datetime import timedelta

from chassis.testing import RecordedEvents
from contracts.devices import DeviceOffline
from devices.service.model import Device
from devices.service.presence import record_presence
from devices.tests.unit.fakes import AT, FakeDevices, a_device

LATER = AT + timedelta(minutes=5)


def _stored(devices: FakeDevices, device: Device) -> Device:
    found = devices.get(device.id)
    assert found is not None
    return found


def test_an_online_status_marks_the_device_online_and_seen() -> None:
    device = a_device()
    devices = FakeDevices(device)
    assert record_presence(device.id, True, at=AT, devices=devices, events=RecordedEvents())
    assert (_stored(devices, device).online, _stored(devices, device).last_seen) == (True, AT)


def test_an_online_device_dropping_off_is_announced_with_when_it_was_last_seen() -> None:
    device = a_device(online=True, last_seen=AT)
    devices, events = FakeDevices(device), RecordedEvents()
    record_presence(device.id, False, at=LATER, devices=devices, events=events)
    assert not _stored(devices, device).online
    assert events.recorded == [DeviceOffline(device_id=device.id, last_seen=AT)]


def test_an_offline_device_going_offline_again_announces_nothing() -> None:
    device = a_device(online=False, last_seen=AT)
    events = RecordedEvents()
    record_presence(device.id, False, at=LATER, devices=FakeDevices(device), events=events)
    assert events.recorded == []


def test_coming_online_announces_nothing() -> None:
    device = a_device(online=False)
    events = RecordedEvents()
    record_presence(device.id, True, at=AT, devices=FakeDevices(device), events=events)
    assert events.recorded == []


def test_a_late_status_does_not_move_last_seen_back() -> None:
    device = a_device(online=True, last_seen=LATER)
    devices = FakeDevices(device)
    record_presence(device.id, True, at=AT, devices=devices, events=RecordedEvents())
    assert _stored(devices, device).last_seen == LATER


def test_the_status_of_an_unknown_device_is_ignored() -> None:
    devices, events = FakeDevices(), RecordedEvents()
    assert not record_presence(1, False, at=AT, devices=devices, events=events)
    assert (devices.rows, events.recorded) == ({}, [])
