"""The ingestion's view of the registry: one database read per device at a time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import pytest

from chassis.db import Database, DatabaseSettings, UnitOfWork
from devices.adapters.sql.directory import DeviceDirectory

T = TypeVar("T")


class CountingDatabase(Database):
    """The real database, counting the transactions it runs."""

    transactions = 0

    async def transaction(self, work: Callable[[UnitOfWork], T]) -> T:
        self.transactions += 1
        return await super().transaction(work)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[CountingDatabase]:
    db = CountingDatabase(
        DatabaseSettings(url=database_url, migrate_at_start=True), migrations="devices.migrations"
    )
    await db.start()
    yield db
    await db.stop()


async def test_concurrent_lookups_of_one_device_share_one_read(database: CountingDatabase) -> None:
    directory = DeviceDirectory(database, ttl=60)
    found: list[Any] = await asyncio.gather(*(directory.lookup(424242) for _ in range(200)))
    assert found == [None] * 200  # unknown device
    assert database.transactions == 1


async def test_a_forgotten_device_is_read_again(database: CountingDatabase) -> None:
    directory = DeviceDirectory(database, ttl=60)
    await directory.lookup(424242)
    directory.forget(424242)
    await directory.lookup(424242)
    await directory.lookup(424242)
    assert database.transactions == 2
