"""The devices service: registry, telemetry ingestion over MQTT, alarms, commands."""

from __future__ import annotations

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import JwksKeySet
from chassis.cli import service_cli
from chassis.db import Database, InvalidCursor, migrate
from chassis.http import DownstreamClient, ServiceAccountToken
from chassis.mqtt import Bus, export_broker_stats
from chassis.outbox import OutboxRelay
from devices.adapters.alarm_tasks import AlarmTasks
from devices.adapters.alarm_watch import AlarmWatch
from devices.adapters.batcher import ReadingBatcher
from devices.adapters.command_dispatch import CommandDispatch
from devices.adapters.device_topics import DeviceTopics
from devices.adapters.directory import DeviceDirectory
from devices.adapters.reading_queries import queries
from devices.adapters.subscriptions import subscribe_device_traffic
from devices.adapters.tasks_client import TasksClient
from devices.api import alarms, commands, devices, readings
from devices.service.errors import (
    AlarmNotFound,
    CommandNotFound,
    DeviceDecommissioned,
    DeviceNotFound,
    InvalidQuery,
)
from devices.settings import DevicesSettings

MIGRATIONS = "devices.migrations"


def build(settings: DevicesSettings) -> FastAPI:
    ingest = settings.ingest
    database = Database(settings.database, migrations=MIGRATIONS)
    directory = DeviceDirectory(database, ttl=ingest.directory_ttl)
    device_topics = DeviceTopics(ingest.topic_prefix, ingest.share_group)
    users = DownstreamClient("users-api", settings.users)
    account = settings.account
    token = ServiceAccountToken.client_credentials(
        users.post, "/v1/auth/token", account.client_id, account.client_secret
    )
    tasks = TasksClient(settings.tasks, token_provider=token)
    alarm_tasks = AlarmTasks(database, tasks, retry_interval=settings.alarms.retry_interval)
    batcher = ReadingBatcher(
        database,
        batch_size=ingest.batch_size,
        max_delay=ingest.max_delay,
        after_write=AlarmWatch(directory=directory, device_topics=device_topics),
        after_commit=alarm_tasks.wake,
    )
    bus = Bus(settings.mqtt, service="devices")
    export_broker_stats(bus)  # ingestion owns the broker's backlog: docs/capacity.md
    subscribe_device_traffic(
        bus,
        settings,
        database=database,
        directory=directory,
        batcher=batcher,
        device_topics=device_topics,
    )
    return create_app(
        settings,
        routers=[devices.router, readings.router, commands.router, alarms.router],
        # Stopped in reverse: the bus stops taking messages before the batcher drains.
        components=[
            database,
            queries(),
            directory,
            batcher,
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            JwksKeySet(settings.auth),
            users,
            tasks,
            alarm_tasks,
            CommandDispatch(database, device_topics, settings.commands),
        ],
        errors={
            DeviceNotFound: 404,
            AlarmNotFound: 404,
            CommandNotFound: 404,
            DeviceDecommissioned: 409,
            InvalidQuery: 400,
            InvalidCursor: 400,
        },
    )


def run_migrations(settings: DevicesSettings) -> None:
    migrate(settings.database.url, MIGRATIONS)


cli = service_cli(DevicesSettings, build, migrate=run_migrations)

if __name__ == "__main__":
    cli()
