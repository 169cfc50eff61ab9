"""Fixtures of the outbox tests: a started Database with an alarm table and the outbox tables."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import Database, DatabaseSettings
from chassis.outbox import metadata as outbox_metadata
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)


class Alarm(SQLModel, table=True):
    """A device alarm: the state change whose event goes through the outbox."""

    __tablename__ = "chassis_test_alarm"

    id: int = Field(primary_key=True)
    device: str


TABLES = [Alarm.__table__, *outbox_metadata.sorted_tables]  # type: ignore[attr-defined]


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(DatabaseSettings(url=database_url))
    await db.start()
    SQLModel.metadata.create_all(db.engine, tables=TABLES)
    yield db
    with db.engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.delete(table))
    await db.stop()


class RecordingPublisher:
    """A `publish(topic, payload)` that keeps what it was given; while `down`, every publish
    fails, as they all do while the broker is unreachable."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.down = False
        self.attempts = 0

    async def __call__(self, topic: str, payload: bytes) -> None:
        self.attempts += 1
        if self.down:
            raise ConnectionError("broker unreachable")
        self.received.append((topic, payload))


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


async def eventually(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until `condition()` holds (it reads the database: polled), or fail after `within`."""
    for _ in range(int(within / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    pytest.fail(f"not true within {within:g}s: {condition}")
