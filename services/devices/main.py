"""The devices service: registry, telemetry ingestion over MQTT, alarms, commands."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import JwksKeySet
from chassis.cli import service_cli
from chassis.db import Database
from chassis.mqtt import Bus
from chassis.outbox import OutboxRelay
from devices.adapters.clients.alarm_task_opening import alarm_task_opening
from devices.adapters.mqtt.traffic import device_traffic
from devices.adapters.sql.reading_queries import queries
from devices.api import alarms, commands, devices, readings
from devices.settings import DevicesSettings


def build(settings: DevicesSettings) -> FastAPI:
    database = Database(settings.database, migrations="devices.migrations", source="devices",
                        topic_prefix=settings.ingest.topic_prefix)  # fmt: skip
    alarm_tasks = alarm_task_opening(settings, database)
    traffic = device_traffic(settings, database, after_commit=alarm_tasks.loop.wake)
    bus = Bus(settings.mqtt, service="devices", handlers=traffic.subscriptions)
    return create_app(
        settings,
        routers=[devices.router, readings.router, commands.router, alarms.router],
        # Started in order, stopped in reverse: the bus stops taking messages before the
        # batcher drains, the alarm loop stops before the clients it calls.
        components=[
            database,
            queries(),
            *traffic.components,  # the device directory, the reading batcher, command dispatch
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            JwksKeySet(settings.auth),
            *alarm_tasks.components,  # the users and tasks clients, the alarm-task loop
        ],
    )


cli = service_cli(DevicesSettings, build)
if __name__ == "__main__":
    cli()
