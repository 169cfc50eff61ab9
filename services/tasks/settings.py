"""The tasks service's settings: settings.toml beside this file < .secrets.toml < TASKS__ env."""

from __future__ import annotations

from pydantic import BaseModel, Field

from chassis.auth import AuthSettings
from chassis.config import ServiceSettings, service_config
from chassis.db import DatabaseSettings
from chassis.http import DownstreamSettings
from chassis.mqtt import MqttSettings
from chassis.outbox import OutboxSettings


class AssigneeSettings(BaseModel):
    """How assignees are checked with the users service."""

    cache_ttl: float = Field(
        30.0, ge=0, description="Seconds a users answer about an assignee is reused (0: never)."
    )
    cache_size: int = Field(10_000, ge=1, description="Assignees remembered at most.")


class TasksSettings(ServiceSettings):
    model_config = service_config("tasks", __file__)

    name: str = "tasks"
    database: DatabaseSettings = DatabaseSettings()
    mqtt: MqttSettings = MqttSettings()
    outbox: OutboxSettings = OutboxSettings()
    users: DownstreamSettings
    auth: AuthSettings = AuthSettings()
    assignees: AssigneeSettings = AssigneeSettings()
