"""The registry as the ingestion sees it: devices cached for a few seconds, so the hot path
does not read the devices table once per message."""

from __future__ import annotations

import asyncio
import time

from chassis.db import Database
from chassis.lifecycle import Component, Health
from devices.adapters.sql.device_repository import SqlDeviceRepository
from devices.service.model import Device


class DeviceDirectory(Component):
    name = "device-directory"
    required = False

    def __init__(self, database: Database, *, ttl: float) -> None:
        self.database = database
        self.ttl = ttl
        self._cache: dict[int, tuple[float, Device | None]] = {}
        # One read per device at a time: when an entry expires, the hundreds of messages in
        # flight for that device wait for the same read instead of each taking a connection.
        self._reading: dict[int, asyncio.Future[Device | None]] = {}

    async def start(self) -> None:
        self._cache.clear()

    async def stop(self) -> None:
        self._cache.clear()
        self._reading.clear()

    def health(self) -> Health:
        return Health.up(cached=len(self._cache))

    async def lookup(self, device_id: int) -> Device | None:
        """The device (None if unknown), at most `ttl` seconds old."""
        now = time.monotonic()
        hit = self._cache.get(device_id)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        reading = self._reading.get(device_id)
        if reading is None:
            reading = asyncio.ensure_future(self._read(device_id))
            self._reading[device_id] = reading
            reading.add_done_callback(lambda done: self._finished(device_id, done))
        return await asyncio.shield(reading)  # a waiter cancelled does not cancel the read

    async def _read(self, device_id: int) -> Device | None:
        read_at = time.monotonic()
        device = await self.database.transaction(
            lambda uow: SqlDeviceRepository(uow.session).get(device_id)
        )
        # A read that forget() overtook must not cache what it saw before the change.
        if self._reading.get(device_id) is asyncio.current_task():
            self._cache[device_id] = (read_at, device)
        return device

    def _finished(self, device_id: int, done: asyncio.Future[Device | None]) -> None:
        if self._reading.get(device_id) is done:
            del self._reading[device_id]

    def cached(self, device_id: int) -> Device | None:
        """The cached device, however old (the ingestion looked it up just before), or None."""
        hit = self._cache.get(device_id)
        return None if hit is None else hit[1]

    def forget(self, device_id: int) -> None:
        """Drop a device changed here (thresholds, decommission) so the next lookup rereads it."""
        self._cache.pop(device_id, None)
        self._reading.pop(device_id, None)
