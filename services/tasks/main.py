"""The tasks service: maintenance work, assigned and tracked. The composition root."""

from __future__ import annotations

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import JwksKeySet, use_token_url
from chassis.cli import service_cli
from chassis.db import Database, InvalidCursor, migrate
from chassis.mqtt import Bus
from chassis.outbox import OutboxRelay
from tasks.adapters import events
from tasks.adapters.users_client import UsersClient
from tasks.api.tasks import router as tasks_router
from tasks.service.errors import (
    AssigneeCheckUnavailable,
    AssigneeNotAssignable,
    IdempotencyKeyReused,
    NotAllowed,
    TaskNotFound,
    TransitionNotAllowed,
    WriteConflict,
)
from tasks.settings import Settings

MIGRATIONS = "tasks.migrations"
ERRORS: dict[type[Exception], int] = {
    TaskNotFound: 404,
    TransitionNotAllowed: 409,
    NotAllowed: 403,
    IdempotencyKeyReused: 422,
    AssigneeNotAssignable: 422,
    AssigneeCheckUnavailable: 503,
    InvalidCursor: 400,
    WriteConflict: 409,
}


def build(settings: Settings) -> FastAPI:
    database = Database(settings.database, migrations=MIGRATIONS)
    bus = Bus(settings.mqtt, service="tasks", handlers=events.handlers(database))
    users = UsersClient(
        settings.users,
        cache_ttl=settings.assignees.cache_ttl,
        cache_size=settings.assignees.cache_size,
    )
    app = create_app(
        settings,
        routers=[tasks_router],
        components=[
            database,
            bus,
            OutboxRelay(database, bus.publish, settings.outbox),
            users,
            JwksKeySet(settings.auth),
        ],
        errors=ERRORS,
        description="Maintenance work: opened by people and device alarms, assigned, tracked.",
    )
    use_token_url(app, settings.auth.token_url)
    return app


def run_migrations(settings: Settings) -> None:
    migrate(settings.database.url, MIGRATIONS)


cli = service_cli(Settings, build, migrate=run_migrations)

if __name__ == "__main__":
    cli()
