"""Commands to devices: issued pending, then acknowledged, failed, or timed out — once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from chassis.db import next_id
from devices.service.errors import CommandNotFound, DeviceNotFound
from devices.service.ports import DeviceRepository

CommandStatus = Literal["pending", "acknowledged", "failed", "timed_out"]


@dataclass(frozen=True)
class Command:
    id: int
    device_id: int
    name: str
    issued_at: datetime
    deadline: datetime
    args: dict[str, Any] = field(default_factory=dict)
    status: CommandStatus = "pending"
    detail: str | None = None
    answered_at: datetime | None = None

    def answer(self, ok: bool, detail: str | None, at: datetime) -> Command:
        """The device's ack. Only a pending command takes it: a late or repeated ack is ignored."""
        if self.status != "pending":
            return self
        status: CommandStatus = "acknowledged" if ok else "failed"
        return replace(self, status=status, detail=detail, answered_at=at)


class CommandRepository(Protocol):
    def get(self, device_id: int, command_id: int) -> Command | None: ...

    def save(self, command: Command) -> None: ...


class Send(Protocol):
    """Queue the command for the device (through the outbox, with the command's row)."""

    def __call__(self, command: Command) -> None: ...


def issue(
    device_id: int,
    name: str,
    args: dict[str, Any],
    *,
    now: datetime,
    timeout: float,
    devices: DeviceRepository,
    commands: CommandRepository,
    send: Send,
    ids: Callable[[], int] = next_id,
) -> Command:
    """A pending command sent to an active device (a retry under the same Idempotency-Key is
    answered by the API layer)."""
    device = devices.get(device_id)
    if device is None:
        raise DeviceNotFound(f"no device {device_id}")
    device.ensure_active()
    command = Command(
        ids(), device_id, name, now, now + timedelta(seconds=timeout), args=dict(args)
    )
    commands.save(command)
    send(command)
    return command


def record_ack(
    device_id: int,
    command_id: int,
    ok: bool,
    detail: str | None,
    *,
    at: datetime,
    commands: CommandRepository,
) -> Command | None:
    """Apply a device's ack; None if no such command of that device exists."""
    command = commands.get(device_id, command_id)
    if command is None:
        return None
    answered = command.answer(ok, detail, at)
    if answered is not command:
        commands.save(answered)
    return answered


def find(device_id: int, command_id: int, *, commands: CommandRepository) -> Command:
    command = commands.get(device_id, command_id)
    if command is None:
        raise CommandNotFound(f"device {device_id} has no command {command_id}")
    return command
