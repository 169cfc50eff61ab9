"""Fixtures of the database tests: a started Database with a small model, and fresh databases."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import Database, DatabaseSettings, table_of
from chassis.outbox import metadata as outbox_metadata
from chassis.testing import TestDatabase
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)


class Gauge(SQLModel, table=True):
    """A pressure gauge: the smallest model worth persisting."""

    __tablename__ = "chassis_test_gauge"

    # A bigint, as every Fleet id (snowflakes) is.
    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    name: str


TABLES = [table_of(Gauge), *outbox_metadata.sorted_tables]


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A started Database on the session's database, with the gauge and outbox tables empty."""
    db = Database(DatabaseSettings(url=database_url))
    await db.start()
    SQLModel.metadata.create_all(db.engine, tables=TABLES)
    outbox_metadata.create_all(db.engine)
    yield db
    with db.engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.delete(table))
    await db.stop()


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of a database nothing has touched: new on DATABASE_URL's server, else a file."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    fresh = TestDatabase(server).create()
    yield fresh.url
    fresh.drop()
