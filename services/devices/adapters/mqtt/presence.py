"""The status handler: retained `online` / last-will `offline` become the device's presence."""

from __future__ import annotations

from datetime import UTC, datetime

from chassis.db import Database, UnitOfWork
from chassis.logging import tagged_logger
from chassis.mqtt import DeadLetter, Delivery
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.device_repository import SqlDeviceRepository
from devices.adapters.sql.directory import DeviceDirectory
from devices.service.presence import record_presence

_log = tagged_logger("MQTT")


class PresenceTracking:
    def __init__(
        self, *, database: Database, directory: DeviceDirectory, device_topics: DeviceTopics
    ) -> None:
        self.database = database
        self.directory = directory
        self.topics = device_topics

    async def handle(self, payload: bytes, delivery: Delivery) -> None:
        device_id = self.topics.device_of(delivery.topic)
        status = payload.decode(errors="replace").strip().strip('"').lower()
        if device_id is None or status not in ("online", "offline"):
            raise DeadLetter("invalid_status", f"{status[:40]!r} on {delivery.topic}")
        now = datetime.now(UTC)

        def work(uow: UnitOfWork) -> bool:
            devices = SqlDeviceRepository(uow.session)
            return record_presence(
                device_id, status == "online", at=now, devices=devices, events=uow
            )

        if not await self.database.transaction(work):
            _log.info("status of unknown device %s ignored", device_id)
        self.directory.forget(device_id)
