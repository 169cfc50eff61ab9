"""The batcher's after-write hook: alarm evaluation inside the batch's own transaction, so an
alarm (and its device.alarm.raised in the outbox) commits with the readings that raised it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chassis.db import UnitOfWork
from contracts import Event
from devices.adapters.alarm_repository import SqlAlarmRepository
from devices.adapters.device_repository import SqlDeviceRepository
from devices.adapters.device_topics import DeviceTopics
from devices.adapters.directory import DeviceDirectory
from devices.service.alarm_handling import watch_readings
from devices.service.ingestion import Sample
from devices.service.thresholds import Threshold


class AlarmWatch:
    def __init__(self, *, directory: DeviceDirectory, device_topics: DeviceTopics) -> None:
        self.directory = directory
        self.topics = device_topics

    def __call__(self, uow: UnitOfWork, samples: Sequence[Sample]) -> bool:
        """Returns whether alarms were raised (their tasks are then to be opened)."""
        thresholds = self._thresholds(uow, {s.device_id for s in samples})
        if not thresholds:
            return False  # the common case costs no query

        def emit(event: Event[Any]) -> None:
            uow.emit(self.topics.event("devices", event.type), event)

        raised = watch_readings(
            samples, thresholds, alarms=SqlAlarmRepository(uow.session), emit=emit
        )
        return bool(raised)

    def _thresholds(self, uow: UnitOfWork, device_ids: set[int]) -> dict[int, dict[str, Threshold]]:
        found: dict[int, dict[str, Threshold]] = {}
        devices = SqlDeviceRepository(uow.session)
        for device_id in device_ids:
            device = self.directory.cached(device_id) or devices.get(device_id)
            if device is not None and device.thresholds:
                found[device_id] = device.thresholds
        return found
