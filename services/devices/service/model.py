"""The devices domain: a Device with its thresholds, and what it may and may not do."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from devices.service.errors import DeviceDecommissioned
from devices.service.thresholds import Threshold


@dataclass(frozen=True)
class Device:
    id: int
    name: str
    kind: str
    site: str
    created_at: datetime
    location: str | None = None
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    decommissioned_at: datetime | None = None
    online: bool = False
    last_seen: datetime | None = None

    @property
    def active(self) -> bool:
        return self.decommissioned_at is None

    def changed(self, **changes: object) -> Device:
        """This device with `changes` applied; a decommissioned device refuses changes."""
        self.ensure_active()
        return replace(self, **changes)  # type: ignore[arg-type]

    def decommission(self, at: datetime) -> Device:
        """Retired: history kept, telemetry refused from now on. Idempotent."""
        if not self.active:
            return self
        return replace(self, decommissioned_at=at, online=False)

    def presence(self, online: bool, at: datetime) -> Device:
        """The device as its retained status says; `last_seen` only moves forward."""
        last_seen = self.last_seen if self.last_seen and self.last_seen > at else at
        return replace(self, online=online, last_seen=last_seen)

    def ensure_active(self) -> None:
        if not self.active:
            raise DeviceDecommissioned(f"device {self.id} was decommissioned")


@dataclass(frozen=True)
class DeviceFilter:
    site: str | None = None
    kind: str | None = None
    online: bool | None = None
    in_alarm: bool | None = None
    include_decommissioned: bool = False
