"""The devices service's settings: settings.toml beside this file, then DEVICES__* variables."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr

from chassis.auth import AuthSettings
from chassis.config import ServiceSettings, service_config
from chassis.db import DatabaseSettings
from chassis.http import DownstreamSettings
from chassis.mqtt import DedicatedConnection, MqttSettings
from chassis.outbox import OutboxSettings


class IngestSettings(BaseModel):
    """The telemetry hot path: how readings are batched, and what is refused."""

    topic_prefix: str = Field(
        "", description="Prepended to every device topic (tests isolate themselves with it)."
    )
    share_group: str = Field(
        "devices",
        description="Shared-subscription group: replicas in it split the telemetry. Empty: a "
        "plain subscription, for a single replica (it survives a Mosquitto restart).",
    )
    batch_size: int = Field(500, ge=1, description="Readings messages committed per batch.")
    max_delay: float = Field(
        0.05, gt=0, description="Seconds the first message of a batch waits for others."
    )
    concurrency: int = Field(
        1000,
        ge=1,
        description="Telemetry messages in hand at once (each awaits its batch's commit); "
        "about two batches, so one fills while the other commits.",
    )
    connection: DedicatedConnection = Field(
        DedicatedConnection(protocol="3.1.1", window=2000),
        description="Telemetry's own connection. 3.1.1: devices send no MQTT 5 properties, "
        "and paho reads 3.1.1 messages half again as fast; give the broker a "
        "max_inflight_messages of about a batch or more (Mosquitto's default is 20).",
    )
    max_clock_skew: float = Field(
        300.0, ge=0, description="Seconds a reading's ts may be ahead of ours before refusal."
    )
    directory_ttl: float = Field(
        5.0, ge=0, description="Seconds a device's registry entry is cached by the ingestion."
    )


class CommandSettings(BaseModel):
    timeout: float = Field(30.0, gt=0, description="Seconds a device has to ack a command.")
    sweep_interval: float = Field(1.0, gt=0, description="Seconds between timeout sweeps.")


class ServiceAccount(BaseModel):
    """The client-credentials account devices uses to call tasks (issued by users)."""

    client_id: str = Field("devices", description="The service account's client id.")
    client_secret: SecretStr = Field(
        SecretStr(""), description="Its secret: put it in .secrets.toml or the environment."
    )


class AlarmSettings(BaseModel):
    retry_interval: float = Field(
        2.0, gt=0, description="Seconds between attempts to open the tasks of pending alarms."
    )


class DevicesSettings(ServiceSettings):
    model_config = service_config("devices", __file__)

    database: DatabaseSettings = DatabaseSettings()
    mqtt: MqttSettings = MqttSettings()
    auth: AuthSettings = AuthSettings()
    outbox: OutboxSettings = OutboxSettings()
    ingest: IngestSettings = IngestSettings()
    commands: CommandSettings = CommandSettings()
    alarms: AlarmSettings = AlarmSettings()
    tasks: DownstreamSettings = DownstreamSettings(base_url="http://127.0.0.1:8002")
    users: DownstreamSettings = DownstreamSettings(base_url="http://127.0.0.1:8001")
    account: ServiceAccount = ServiceAccount()
