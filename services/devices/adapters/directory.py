"""The registry as the ingestion sees it: devices cached for a few seconds, so the hot path
does not read the devices table once per message."""

from __future__ import annotations

import time

from chassis.db import Database
from chassis.lifecycle import Component, Health
from devices.adapters.device_repository import SqlDeviceRepository
from devices.service.model import Device


class DeviceDirectory(Component):
    name = "device-directory"
    required = False

    def __init__(self, database: Database, *, ttl: float) -> None:
        self.database = database
        self.ttl = ttl
        self._cache: dict[int, tuple[float, Device | None]] = {}

    async def start(self) -> None:
        self._cache.clear()

    async def stop(self) -> None:
        self._cache.clear()

    def health(self) -> Health:
        return Health.up(cached=len(self._cache))

    async def lookup(self, device_id: int) -> Device | None:
        """The device (None if unknown), at most `ttl` seconds old."""
        now = time.monotonic()
        hit = self._cache.get(device_id)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        device = await self.database.transaction(
            lambda uow: SqlDeviceRepository(uow.session).get(device_id)
        )
        self._cache[device_id] = (now, device)
        return device

    def cached(self, device_id: int) -> Device | None:
        """The cached device, however old (the ingestion looked it up just before), or None."""
        hit = self._cache.get(device_id)
        return None if hit is None else hit[1]

    def forget(self, device_id: int) -> None:
        """Drop a device changed here (thresholds, decommission) so the next lookup rereads it."""
        self._cache.pop(device_id, None)
