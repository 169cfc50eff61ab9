"""What devices send and receive over MQTT, and the events the devices service publishes.

Device traffic (telemetry, status, commands, acks) is not enveloped: devices are small and
speak plain JSON. Domain events between services use the `Event` envelope.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, RootModel

from contracts.envelope import EventData
from contracts.ids import SnowflakeId

DeviceStatus = Literal["online", "offline"]
"""Payload of `fleet/devices/{id}/status`: retained `online`, last will `offline`."""


class Reading(BaseModel):
    """One sample of a device's metrics: `{"ts": 1718000000.5, "metrics": {"temp": 81.2}}`.

    `ts` is epoch seconds (UTC) or ISO 8601 with an offset; either becomes an aware datetime.
    """

    ts: AwareDatetime = Field(description="When sampled: epoch seconds or ISO 8601 with offset.")
    metrics: dict[str, float] = Field(min_length=1, description="Metric name -> value.")


class Telemetry(RootModel[Reading | list[Reading]]):
    """Payload of `fleet/devices/{id}/telemetry`: one reading or a list of them."""

    @property
    def readings(self) -> list[Reading]:
        root = self.root
        return root if isinstance(root, list) else [root]


class Command(BaseModel):
    """Payload of `fleet/devices/{id}/commands`: something the device should do."""

    command_id: SnowflakeId
    name: str = Field(min_length=1, description="e.g. reboot, set_interval.")
    args: dict[str, Any] = Field(default_factory=dict)
    issued_at: AwareDatetime


class CommandAck(BaseModel):
    """Payload of `fleet/devices/{id}/commands/{command_id}/ack`: the device's answer."""

    command_id: SnowflakeId
    ok: bool
    detail: str | None = None
    acked_at: AwareDatetime | None = None


class AlarmRaised(EventData):
    """A reading crossed a threshold."""

    event_type = "device.alarm.raised"

    alarm_id: SnowflakeId
    device_id: SnowflakeId
    metric: str
    value: float
    threshold: float
    raised_at: AwareDatetime


class AlarmResolved(EventData):
    """An alarm ended: its task was completed."""

    event_type = "device.alarm.resolved"

    alarm_id: SnowflakeId
    device_id: SnowflakeId
    task_id: SnowflakeId | None = None
    resolved_at: AwareDatetime


class DeviceOffline(EventData):
    """A device dropped off (its last will arrived)."""

    event_type = "device.offline"

    device_id: SnowflakeId
    last_seen: AwareDatetime | None = None


# What crosses the broker besides events, exported as JSON Schema (contracts.schema).
PAYLOADS: dict[str, Any] = {
    "device.telemetry": Telemetry,
    "device.command": Command,
    "device.command_ack": CommandAck,
    "device.status": DeviceStatus,
}
