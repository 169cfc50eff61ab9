"""What the service layer needs from the outside, as interfaces (adapters implement them)."""

from __future__ import annotations

from typing import Any, Protocol

from contracts import Event
from devices.service.alarms import Alarm
from devices.service.model import Device, DeviceFilter


class DeviceRepository(Protocol):
    def get(self, device_id: int) -> Device | None: ...

    def save(self, device: Device) -> None: ...

    def page(
        self, where: DeviceFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Device], str | None]: ...


class IdempotencyKeys(Protocol):
    def find(self, scope: str, key: str) -> int | None: ...

    def remember(self, scope: str, key: str, resource_id: int) -> None: ...


class Emit(Protocol):
    """Queue a domain event for the outbox, in the current unit of work."""

    def __call__(self, event: Event[Any]) -> None: ...


class AlarmRepository(Protocol):
    def get(self, alarm_id: int) -> Alarm | None: ...

    def save(self, alarm: Alarm) -> None: ...

    def for_task(self, task_id: int) -> Alarm | None: ...
