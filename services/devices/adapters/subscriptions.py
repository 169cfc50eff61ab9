"""What the devices service listens to on MQTT, and which handler takes each."""

from __future__ import annotations

from chassis.db import Database
from chassis.mqtt import Bus
from contracts import CommandAck, Telemetry
from devices.adapters.batcher import ReadingBatcher
from devices.adapters.command_acks import CommandAcks
from devices.adapters.device_topics import DeviceTopics
from devices.adapters.directory import DeviceDirectory
from devices.adapters.presence import PresenceTracking
from devices.adapters.task_events import TaskCompletions
from devices.adapters.telemetry import TelemetryIngestion
from devices.settings import DevicesSettings


def subscribe_device_traffic(
    bus: Bus,
    settings: DevicesSettings,
    *,
    database: Database,
    directory: DeviceDirectory,
    batcher: ReadingBatcher,
    device_topics: DeviceTopics,
) -> None:
    telemetry = TelemetryIngestion(
        directory=directory,
        batcher=batcher,
        device_topics=device_topics,
        max_skew=settings.ingest.max_clock_skew,
    )
    # Each handler awaits its batch's commit: concurrency lets a batch fill meanwhile. The hot
    # stream has a connection of its own: its network thread and flow control are its alone.
    bus.subscribe(
        device_topics.telemetry_filter(),
        telemetry.handle,
        model=Telemetry,
        concurrency=settings.ingest.concurrency,
        name="telemetry",
        dedicated=settings.ingest.connection,
    )
    acks = CommandAcks(database=database, device_topics=device_topics)
    bus.subscribe(device_topics.ack_filter(), acks.handle, model=CommandAck, name="command-acks")
    completions = TaskCompletions(database=database, device_topics=device_topics)
    bus.subscribe(completions.topic_filter(), completions.handle, name="task-completed")
    presence = PresenceTracking(database=database, directory=directory, device_topics=device_topics)
    bus.subscribe(device_topics.status_filter(), presence.handle, model=bytes, name="presence")
