"""What the service layer needs from the outside, as interfaces (adapters implement them)."""

from __future__ import annotations

from typing import Protocol

from devices.service.alarms import Alarm
from devices.service.model import Device, DeviceFilter


class DeviceRepository(Protocol):
    def get(self, device_id: int) -> Device | None: ...

    def save(self, device: Device) -> None: ...

    def page(
        self, where: DeviceFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Device], str | None]: ...


class AlarmRepository(Protocol):
    def get(self, alarm_id: int) -> Alarm | None: ...

    def save(self, alarm: Alarm) -> None: ...

    def for_task(self, task_id: int) -> Alarm | None: ...
