"""The batcher's after-write hook: alarm evaluation inside the batch's own transaction, so an
alarm (and its device.alarm.raised in the outbox) commits with the readings that raised it."""

from __future__ import annotations

from collections.abc import Sequence

from chassis.db import UnitOfWork
from devices.adapters.sql.alarm_repository import SqlAlarmRepository
from devices.adapters.sql.device_repository import SqlDeviceRepository
from devices.adapters.sql.directory import DeviceDirectory
from devices.service.alarm_handling import watch_readings
from devices.service.ingestion import Received
from devices.service.thresholds import Threshold


class AlarmWatch:
    def __init__(self, *, directory: DeviceDirectory) -> None:
        self.directory = directory

    def __call__(self, uow: UnitOfWork, received: Sequence[Received]) -> bool:
        """Returns whether alarms were raised (their tasks are then to be opened)."""
        device_ids = {s.device_id for r in received for s in r.samples}
        thresholds = self._thresholds(uow, device_ids)
        if not thresholds:
            return False  # the common case costs no query
        alarms = SqlAlarmRepository(uow.session)
        return bool(watch_readings(received, thresholds, alarms=alarms, events=uow))

    def _thresholds(self, uow: UnitOfWork, device_ids: set[int]) -> dict[int, dict[str, Threshold]]:
        found: dict[int, dict[str, Threshold]] = {}
        devices = SqlDeviceRepository(uow.session)
        for device_id in device_ids:
            device = self.directory.cached(device_id) or devices.get(device_id)
            if device is not None and device.thresholds:
                found[device_id] = device.thresholds
        return found
