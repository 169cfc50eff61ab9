"""The device registry's use cases: register, change, decommission, find, browse."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chassis.db import next_id
from devices.service.errors import DeviceNotFound
from devices.service.model import Device, DeviceFilter
from devices.service.ports import DeviceRepository
from devices.service.thresholds import Threshold


def register(
    *,
    name: str,
    kind: str,
    site: str,
    location: str | None,
    thresholds: dict[str, Threshold],
    devices: DeviceRepository,
) -> Device:
    """A new device (a retry under the same Idempotency-Key is answered by the API layer)."""
    device = Device(
        id=next_id(),
        name=name,
        kind=kind,
        site=site,
        location=location,
        thresholds=thresholds,
        created_at=datetime.now(UTC),
    )
    devices.save(device)
    return device


def find(device_id: int, *, devices: DeviceRepository) -> Device:
    device = devices.get(device_id)
    if device is None:
        raise DeviceNotFound(f"no device {device_id}")
    return device


def change(device_id: int, changes: dict[str, Any], *, devices: DeviceRepository) -> Device:
    device = find(device_id, devices=devices).changed(**changes)
    devices.save(device)
    return device


def decommission(device_id: int, *, devices: DeviceRepository) -> Device:
    device = find(device_id, devices=devices).decommission(datetime.now(UTC))
    devices.save(device)
    return device


def browse(
    where: DeviceFilter, *, limit: int, cursor: str | None, devices: DeviceRepository
) -> tuple[list[Device], str | None]:
    return devices.page(where, limit=limit, cursor=cursor)
