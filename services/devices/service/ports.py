"""What the service layer needs from the outside, as interfaces (adapters implement them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from devices.service.alarms import Alarm, AlarmFilter
from devices.service.model import Device, DeviceFilter

T = TypeVar("T")


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

    def page(
        self, where: AlarmFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Alarm], str | None]: ...


class PendingAlarms(Protocol):
    """The alarms whose task is still to be opened."""

    def without_task(self, limit: int) -> list[Alarm]:
        """Raised alarms without a task yet, oldest first."""
        ...

    def link_task(self, alarm_id: int, task_id: int) -> bool:
        """Store the alarm's task; False if it had one already."""
        ...


class AlarmTaskWork(Protocol):
    """One transaction's view for opening alarms' tasks."""

    @property
    def alarms(self) -> PendingAlarms: ...


class AlarmTaskTransaction(Protocol):
    """Runs `work` in one committed transaction, off the event loop."""

    async def __call__(self, work: Callable[[AlarmTaskWork], T]) -> T: ...


class TaskOpener(Protocol):
    """The tasks service, as the alarms need it."""

    async def open_alarm_task(self, alarm: Alarm) -> int:
        """The id of the alarm's maintenance task, opened at most once however often asked;
        raises chassis.http's DownstreamError while it cannot be opened now."""
        ...
