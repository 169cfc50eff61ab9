"""Fixtures of the idempotency tests: a started Database with a pump table and the answers'."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from chassis.db import Database, DatabaseSettings
from chassis.idempotency import metadata as idempotency_metadata
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)

pumps = sa.Table(
    "chassis_test_pump",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(50), nullable=False),
)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A started Database on the session's database, with the pump and answer tables empty."""
    db = Database(DatabaseSettings(url=database_url))
    await db.start()
    tables = [pumps, *idempotency_metadata.sorted_tables]
    for table in tables:
        table.create(db.engine, checkfirst=True)
    yield db
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(sa.delete(table))
    await db.stop()
