"""Rows inserted through the unit of work: written at commit with the outbox, in one statement
on PostgreSQL, and never without the commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from chassis.db import Database, DatabaseSettings, table_of
from chassis.db.tests.conftest import TABLES, Gauge
from chassis.outbox import outbox_table

gauges = table_of(Gauge)


@pytest.fixture(params=["server", "sqlite"])
async def either(
    request: pytest.FixtureRequest, database: Database, tmp_path: Path
) -> AsyncIterator[Database]:
    """The session's database (PostgreSQL in CI), then an embedded SQLite file."""
    if request.param == "server":
        yield database
        return
    sqlite = Database(DatabaseSettings(url=f"sqlite:///{tmp_path / 'inserts.sqlite3'}"))
    await sqlite.start()
    SQLModel.metadata.create_all(sqlite.engine, tables=TABLES)
    yield sqlite
    await sqlite.stop()


def _count(database: Database, table: sa.Table) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_inserted_rows_commit_with_the_events(either: Database) -> None:
    with either.unit_of_work() as uow:
        uow.insert(gauges, {"id": 1, "name": "inlet"}, {"id": 2, "name": "outlet"})
        uow.insert(gauges, {"id": 3, "name": "tank"})
        uow.emit("fleet/events/test/gauge.added", b"{}")
        uow.commit()
    assert (_count(either, gauges), _count(either, outbox_table)) == (3, 1)


def test_inserted_rows_are_not_written_without_a_commit(either: Database) -> None:
    with either.unit_of_work() as uow:
        uow.insert(gauges, {"id": 1, "name": "inlet"})
        uow.emit("fleet/events/test/gauge.added", b"{}")
    assert (_count(either, gauges), _count(either, outbox_table)) == (0, 0)


def test_a_failing_row_rolls_back_every_table(either: Database) -> None:
    with either.unit_of_work() as uow:
        uow.insert(gauges, {"id": 1, "name": "inlet"})
        uow.commit()
    with either.unit_of_work() as uow:
        uow.insert(gauges, {"id": 2, "name": "outlet"}, {"id": 1, "name": "again"})
        uow.emit("fleet/events/test/gauge.added", b"{}")
        with pytest.raises(sa.exc.IntegrityError):
            uow.commit()
    assert (_count(either, gauges), _count(either, outbox_table)) == (1, 0)


def test_postgresql_gets_every_table_in_one_statement(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("one statement for several tables is PostgreSQL's (data-modifying CTEs)")
    statements: list[str] = []

    def collect(_conn: sa.Connection, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    sa.event.listen(database.engine, "before_cursor_execute", collect)
    with database.unit_of_work() as uow:
        uow.insert(gauges, {"id": 1, "name": "inlet"})
        uow.emit("fleet/events/test/gauge.added", b"{}")
        uow.commit()
    assert [s.split()[0] for s in statements] == ["WITH"]
    assert (_count(database, gauges), _count(database, outbox_table)) == (1, 1)
