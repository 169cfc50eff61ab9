"""Commands to devices: issued pending to an active device, then settled by its ack, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from devices.service import commands
from devices.service.commands import Command
from devices.service.errors import CommandNotFound, DeviceDecommissioned, DeviceNotFound
from devices.tests.unit.fakes import AT, FakeCommands, FakeDevices, FakeSend, a_device, new_id

ACKED_AT = AT + timedelta(seconds=3)


def _issue(devices: FakeDevices, device_id: int, store: FakeCommands, send: FakeSend) -> Command:
    return commands.issue(
        device_id,
        "restart",
        {"delay": 5},
        now=AT,
        timeout=30,
        devices=devices,
        commands=store,
        send=send,
    )


def _pending(device_id: int = 7) -> Command:
    return Command(new_id(), device_id, "restart", AT, AT + timedelta(seconds=30))


def test_a_command_to_an_active_device_is_stored_pending_and_sent() -> None:
    device = a_device()
    store, send = FakeCommands(), FakeSend()
    command = _issue(FakeDevices(device), device.id, store, send)
    assert (command.status, command.args) == ("pending", {"delay": 5})
    assert store.get(device.id, command.id) == command
    assert send.sent == [command]


def test_a_command_is_due_its_timeout_after_it_was_issued() -> None:
    device = a_device()
    command = _issue(FakeDevices(device), device.id, FakeCommands(), FakeSend())
    assert command.deadline == AT + timedelta(seconds=30)


def test_a_command_to_an_unknown_device_is_not_found_and_not_sent() -> None:
    store, send = FakeCommands(), FakeSend()
    with pytest.raises(DeviceNotFound):
        _issue(FakeDevices(), 1, store, send)
    assert (store.rows, send.sent) == ({}, [])


def test_a_decommissioned_device_takes_no_command() -> None:
    device = a_device(decommissioned_at=AT)
    send = FakeSend()
    with pytest.raises(DeviceDecommissioned):
        _issue(FakeDevices(device), device.id, FakeCommands(), send)
    assert send.sent == []


def test_a_positive_ack_acknowledges_the_command() -> None:
    command = _pending()
    store = FakeCommands(command)
    commands.record_ack(7, command.id, True, None, at=ACKED_AT, commands=store)
    stored = store.get(7, command.id)
    assert stored is not None
    assert (stored.status, stored.answered_at) == ("acknowledged", ACKED_AT)


def test_a_negative_ack_fails_the_command_with_the_devices_detail() -> None:
    command = _pending()
    store = FakeCommands(command)
    commands.record_ack(7, command.id, False, "pump jammed", at=ACKED_AT, commands=store)
    stored = store.get(7, command.id)
    assert stored is not None
    assert (stored.status, stored.detail) == ("failed", "pump jammed")


def test_a_repeated_ack_changes_nothing() -> None:
    command = _pending()
    store = FakeCommands(command)
    first = commands.record_ack(7, command.id, True, None, at=ACKED_AT, commands=store)
    later = ACKED_AT + timedelta(seconds=1)
    commands.record_ack(7, command.id, False, "late", at=later, commands=store)
    assert store.get(7, command.id) == first


def test_an_ack_of_another_devices_command_is_ignored() -> None:
    command = _pending(device_id=7)
    store = FakeCommands(command)
    assert commands.record_ack(8, command.id, True, None, at=ACKED_AT, commands=store) is None
    assert store.get(7, command.id) == command


def test_an_unknown_command_is_not_found() -> None:
    with pytest.raises(CommandNotFound):
        commands.find(7, 1, commands=FakeCommands())
