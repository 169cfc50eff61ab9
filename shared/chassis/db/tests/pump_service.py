"""A service with a database: what refuses to start does so here (`... serve`)."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.cli import service_cli
from chassis.config import ServiceSettings, service_config
from chassis.db import Database, DatabaseSettings

MIGRATIONS = "chassis.db.tests.migrations"  # heads at r0002


class PumpSettings(ServiceSettings):
    model_config = service_config("pumps", __file__)
    name: str = "pumps"
    database: DatabaseSettings = DatabaseSettings()


def build(settings: PumpSettings) -> FastAPI:
    return create_app(settings, components=[Database(settings.database, migrations=MIGRATIONS)])


cli = service_cli(PumpSettings, build)
if __name__ == "__main__":
    cli()
