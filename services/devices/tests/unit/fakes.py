"""In-memory stand-ins for the service layer's ports. Each subclasses the port it stands in
for, so mypy proves it matches (a method the port gains or changes fails the check here).

Devices, alarms and commands are frozen dataclasses: a change the service makes is kept only
when it saves it, as with the SQL adapters.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from chassis.context import current_correlation_id
from chassis.http import DownstreamError
from devices.service.alarm_handling import WatchedAlarms
from devices.service.alarms import Alarm, AlarmFilter, MetricKey
from devices.service.commands import Command, CommandRepository, Send
from devices.service.model import Device, DeviceFilter
from devices.service.ports import (
    AlarmRepository,
    AlarmTaskTransaction,
    AlarmTaskWork,
    DeviceRepository,
    PendingAlarms,
    TaskOpener,
)

T = TypeVar("T")
_ids = itertools.count(1_000)
AT = datetime(2030, 1, 1, tzinfo=UTC)


def new_id() -> int:
    return next(_ids)


def a_device(**fields: Any) -> Device:
    values: dict[str, Any] = {
        "id": new_id(),
        "name": "Pump 7",
        "kind": "pump",
        "site": "north",
        "created_at": AT,
    }
    return Device(**(values | fields))


def an_alarm(**fields: Any) -> Alarm:
    values: dict[str, Any] = {
        "id": new_id(),
        "device_id": 7,
        "metric": "temperature",
        "value": 81.0,
        "threshold": 80.0,
        "raised_at": AT,
    }
    return Alarm(**(values | fields))


class FakeDevices(DeviceRepository):
    """Devices by id; `alarms`, when given, answers the `in_alarm` filter."""

    def __init__(self, *devices: Device, alarms: FakeAlarms | None = None) -> None:
        self.rows = {d.id: d for d in devices}
        self.alarms = alarms

    def get(self, device_id: int) -> Device | None:
        return self.rows.get(device_id)

    def save(self, device: Device) -> None:
        self.rows[device.id] = device

    def page(
        self, where: DeviceFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Device], str | None]:
        after = int(cursor) if cursor else -1
        found = [
            d for _, d in sorted(self.rows.items()) if d.id > after and self._matches(d, where)
        ]
        items = found[:limit]
        return items, str(items[-1].id) if len(found) > limit else None

    def _matches(self, device: Device, where: DeviceFilter) -> bool:
        in_alarm = self.alarms is not None and self.alarms.raised_on(device.id)
        return (
            (where.include_decommissioned or device.active)
            and where.site in (None, device.site)
            and where.kind in (None, device.kind)
            and where.online in (None, device.online)
            and where.in_alarm in (None, in_alarm)
        )


class FakeAlarms(AlarmRepository, PendingAlarms, WatchedAlarms):
    """Alarms by id, answering every port the SQL alarm repository fills."""

    def __init__(self, *alarms: Alarm) -> None:
        self.rows = {a.id: a for a in alarms}

    def get(self, alarm_id: int) -> Alarm | None:
        return self.rows.get(alarm_id)

    def save(self, alarm: Alarm) -> None:
        self.rows[alarm.id] = alarm

    def for_task(self, task_id: int) -> Alarm | None:
        return next((a for a in self.rows.values() if a.task_id == task_id), None)

    def page(
        self, where: AlarmFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Alarm], str | None]:
        after = int(cursor) if cursor else -1
        found = [
            a
            for _, a in sorted(self.rows.items())
            if a.id > after
            and where.device_id in (None, a.device_id)
            and where.state in (None, a.state)
            and (where.since is None or a.raised_at >= where.since)
        ]
        items = found[:limit]
        return items, str(items[-1].id) if len(found) > limit else None

    def disarmed(self, device_ids: Iterable[int]) -> dict[MetricKey, Alarm]:
        wanted = set(device_ids)
        return {
            (a.device_id, a.metric): a
            for a in self.rows.values()
            if a.device_id in wanted and a.cleared_at is None
        }

    def without_task(self, limit: int) -> list[Alarm]:
        pending = [a for a in self.rows.values() if a.task_id is None and a.state == "raised"]
        return sorted(pending, key=lambda a: a.id)[:limit]

    def link_task(self, alarm_id: int, task_id: int) -> bool:
        alarm = self.rows.get(alarm_id)
        if alarm is None or alarm.task_id is not None:
            return False
        self.rows[alarm_id] = replace(alarm, task_id=task_id)
        return True

    def raised_on(self, device_id: int) -> bool:
        return any(a.device_id == device_id and a.state == "raised" for a in self.rows.values())


class FakeAlarmWork(AlarmTaskWork):
    def __init__(self, alarms: FakeAlarms) -> None:
        self._alarms = alarms

    @property
    def alarms(self) -> FakeAlarms:
        return self._alarms


class FakeAlarmTransactions(AlarmTaskTransaction):
    """One in-memory store of alarms: work runs on a copy, kept only if it returns."""

    def __init__(self, *alarms: Alarm) -> None:
        self.alarms = FakeAlarms(*alarms)
        self.count = 0

    async def __call__(self, work: Callable[[AlarmTaskWork], T]) -> T:
        self.count += 1
        staged = copy.deepcopy(self.alarms)
        result = work(FakeAlarmWork(staged))
        self.alarms = staged
        return result


class FakeTaskOpener(TaskOpener):
    """Tasks as it answers devices: one task per alarm however often asked (the Idempotency-Key
    is the alarm id). While `down`, or for alarms in `failing`, it raises DownstreamError.
    `asked` holds each call's alarm id and the correlation id it carried."""

    def __init__(self) -> None:
        self.tasks: dict[int, int] = {}
        self.asked: list[tuple[int, str | None]] = []
        self.down = False
        self.failing: set[int] = set()

    async def open_alarm_task(self, alarm: Alarm) -> int:
        self.asked.append((alarm.id, current_correlation_id()))
        if self.down or alarm.id in self.failing:
            raise DownstreamError("tasks-api", "503 Service Unavailable", status=503)
        return self.tasks.setdefault(alarm.id, new_id())


class FakeCommands(CommandRepository):
    def __init__(self, *commands: Command) -> None:
        self.rows = {c.id: c for c in commands}

    def get(self, device_id: int, command_id: int) -> Command | None:
        command = self.rows.get(command_id)
        return command if command is not None and command.device_id == device_id else None

    def save(self, command: Command) -> None:
        self.rows[command.id] = command


class FakeSend(Send):
    """The outbox as commands see it: `sent` holds what was queued for devices, in order."""

    def __init__(self) -> None:
        self.sent: list[Command] = []

    def __call__(self, command: Command) -> None:
        self.sent.append(command)
