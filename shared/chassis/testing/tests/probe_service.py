"""A service as small as the test-app fixture's tests need: each base section, one component."""

from fastapi import FastAPI

from chassis.app import create_app
from chassis.auth import AuthSettings
from chassis.config import ServiceSettings, service_config
from chassis.db import DatabaseSettings
from chassis.lifecycle import Component
from chassis.mqtt import MqttSettings
from chassis.outbox import OutboxSettings


class ProbeSettings(ServiceSettings):
    model_config = service_config("probe", __file__)
    name: str = "probe"
    database: DatabaseSettings = DatabaseSettings()
    mqtt: MqttSettings = MqttSettings()
    auth: AuthSettings = AuthSettings()
    outbox: OutboxSettings = OutboxSettings()


class Lamp(Component):
    """Lit while its app runs."""

    name = "lamp"

    def __init__(self) -> None:
        self.lit = False

    async def start(self) -> None:
        self.lit = True

    async def stop(self) -> None:
        self.lit = False


class FakeLamp(Lamp):
    pass


def build(settings: ProbeSettings) -> FastAPI:
    return create_app(settings, components=[Lamp()])
