"""Devices' traffic over MQTT, built together: what comes in (telemetry, command acks, presence,
tasks' completions), the parts that take it in, and the way commands go out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chassis.db import Database
from chassis.lifecycle import Component
from chassis.mqtt import Subscription, export_broker_stats
from contracts.devices import CommandAck, Telemetry
from devices.adapters.mqtt.alarm_watch import AlarmWatch
from devices.adapters.mqtt.batcher import ReadingBatcher
from devices.adapters.mqtt.command_acks import CommandAcks
from devices.adapters.mqtt.command_dispatch import CommandDispatch
from devices.adapters.mqtt.device_topics import DeviceTopics
from devices.adapters.mqtt.presence import PresenceTracking
from devices.adapters.mqtt.task_events import TaskCompletions
from devices.adapters.mqtt.telemetry import TelemetryIngestion
from devices.adapters.sql.directory import DeviceDirectory
from devices.settings import DevicesSettings


@dataclass(frozen=True)
class DeviceTraffic:
    """The parts, and the subscriptions that feed them: the bus is built with them."""

    topics: DeviceTopics
    directory: DeviceDirectory
    batcher: ReadingBatcher
    dispatch: CommandDispatch
    subscriptions: list[Subscription]

    @property
    def components(self) -> list[Component]:
        """To start before the bus: stopped after it, the batcher drains what it took."""
        return [self.directory, self.batcher, self.dispatch]


def device_traffic(
    settings: DevicesSettings, database: Database, *, after_commit: Callable[[], None]
) -> DeviceTraffic:
    """`after_commit` runs after each batch of readings that raised alarms is committed."""
    ingest = settings.ingest
    device_topics = DeviceTopics(ingest.topic_prefix, ingest.share_group)
    directory = DeviceDirectory(database, ttl=ingest.directory_ttl)
    batcher = ReadingBatcher(
        database,
        batch_size=ingest.batch_size,
        max_delay=ingest.max_delay,
        after_write=AlarmWatch(directory=directory),
        after_commit=after_commit,
    )
    dispatch = CommandDispatch(database, device_topics, settings.commands)
    subscriptions = _subscriptions(settings, database, directory, batcher, device_topics)
    return DeviceTraffic(device_topics, directory, batcher, dispatch, subscriptions)


def _subscriptions(
    settings: DevicesSettings,
    database: Database,
    directory: DeviceDirectory,
    batcher: ReadingBatcher,
    device_topics: DeviceTopics,
) -> list[Subscription]:
    telemetry = TelemetryIngestion(
        directory=directory,
        batcher=batcher,
        device_topics=device_topics,
        max_skew=settings.ingest.max_clock_skew,
    )
    acks = CommandAcks(database=database, device_topics=device_topics)
    completions = TaskCompletions(database=database, device_topics=device_topics)
    presence = PresenceTracking(database=database, directory=directory, device_topics=device_topics)
    return [
        # Ingestion owns the broker's biggest backlog, so it watches the broker's drops
        # (docs/capacity.md).
        *export_broker_stats(settings.mqtt),
        # Each handler awaits its batch's commit: concurrency lets a batch fill meanwhile. The
        # hot stream has a connection of its own: its network thread and flow control alone.
        Subscription(
            device_topics.telemetry_filter(),
            telemetry.handle,
            model=Telemetry,
            concurrency=settings.ingest.concurrency,
            name="telemetry",
            dedicated=settings.ingest.connection,
        ),
        Subscription(
            device_topics.ack_filter(), acks.handle, model=CommandAck, name="command-acks"
        ),
        Subscription(completions.topic_filter(), completions.handle, name="task-completed"),
        Subscription(device_topics.status_filter(), presence.handle, model=bytes, name="presence"),
    ]
