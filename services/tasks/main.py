"""The tasks service: maintenance work, assigned and tracked. The composition root."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import JwksKeySet
from chassis.cli import service_cli
from chassis.db import Database
from chassis.mqtt import Bus
from chassis.outbox import OutboxRelay
from tasks.adapters import events
from tasks.adapters.users_client import UsersClient
from tasks.api.tasks import router as tasks_router
from tasks.settings import TasksSettings


def build(settings: TasksSettings) -> FastAPI:
    database = Database(settings.database, migrations="tasks.migrations", source="tasks")
    bus = Bus(settings.mqtt, service="tasks", handlers=events.handlers(database))
    users = UsersClient(
        settings.users,
        cache_ttl=settings.assignees.cache_ttl,
        cache_size=settings.assignees.cache_size,
    )
    return create_app(
        settings,
        routers=[tasks_router],
        components=[
            database,
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            users,
            JwksKeySet(settings.auth),
        ],
        description="Maintenance work: opened by people and device alarms, assigned, tracked.",
    )


cli = service_cli(TasksSettings, build)
if __name__ == "__main__":
    cli()
