"""The telemetry handler: validate a device's readings, then await their batch's commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chassis.mqtt import DeadLetter, Delivery
from contracts.devices import Telemetry
from devices.adapters.mqtt.batcher import ReadingBatcher
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.sql.directory import DeviceDirectory
from devices.service import ingestion


class TelemetryIngestion:
    def __init__(
        self,
        *,
        directory: DeviceDirectory,
        batcher: ReadingBatcher,
        device_topics: DeviceTopics,
        max_skew: float,
    ) -> None:
        self.directory = directory
        self.batcher = batcher
        self.topics = device_topics
        self.max_skew = timedelta(seconds=max_skew)

    async def handle(self, telemetry: Telemetry, delivery: Delivery) -> None:
        device_id = self.topics.device_of(delivery.topic)
        if device_id is None:
            raise DeadLetter("unknown_device", f"no device id in {delivery.topic}")
        device = await self.directory.lookup(device_id)
        try:
            samples = ingestion.accept(
                device_id,
                device,
                telemetry.readings,
                now=datetime.now(UTC),
                max_skew=self.max_skew,
            )
        except ingestion.Rejected as exc:
            raise DeadLetter(exc.reason, str(exc)) from None
        await self.batcher.submit(samples)  # returns after the commit: then the bus acks
