"""Alembic wiring: a service's migrations package upgrades a fresh database to head, and a
release rolled back onto a later release's schema leaves it alone but refuses a foreign one."""

from __future__ import annotations

import logging
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa

from chassis.db import Database, DatabaseSettings, SchemaMismatch, migrate

RELEASE_N = "chassis.db.tests.migrations"  # heads at r0002
# The next release's migration, written expand-style: a nullable column and a new table.
EXPAND = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"


def upgrade() -> None:
    op.add_column("pump", sa.Column("rated_flow_{revision}", sa.Float, nullable=True))
    op.create_table("pump_service_{revision}", sa.Column("id", sa.BigInteger, primary_key=True))
"""


def _release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, **new: str) -> str:
    """A migrations package `name`: release N's scripts plus `new` ({revision: down_revision}),
    importable as a later (or another branch's) release would ship it."""
    package = tmp_path / name
    source = Path(str(files(RELEASE_N)))
    shutil.copytree(source, package, ignore=shutil.ignore_patterns("__pycache__"))
    for revision, down in new.items():
        script = EXPAND.format(revision=revision, down=down)
        (package / "versions" / f"{revision}.py").write_text(script)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def _query(url: str, sql: str) -> list[object]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql))
            return list(result.scalars()) if result.returns_rows else []
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_migrate_upgrades_a_fresh_database_to_head(fresh_database_url: str) -> None:
    migrate(fresh_database_url, RELEASE_N)
    assert {"pump", "outbox", "processed_events"} <= _tables(fresh_database_url)
    assert _query(fresh_database_url, "SELECT version_num FROM alembic_version") == ["r0002"]


def test_migrate_twice_is_a_no_op(fresh_database_url: str) -> None:
    migrate(fresh_database_url, RELEASE_N)
    migrate(fresh_database_url, RELEASE_N)


def test_migrate_records_each_applied_revision_and_the_one_it_revises(
    fresh_database_url: str,
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    rows = _query(
        fresh_database_url,
        "SELECT revision || ':' || down_revisions FROM migration_lineage ORDER BY revision",
    )
    assert rows == ["r0001:", "r0002:r0001"]


def test_a_rolled_back_release_leaves_a_later_releases_schema_alone(
    fresh_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    migrate(fresh_database_url, _release(tmp_path, monkeypatch, "release_n1", r0003="r0002"))

    with caplog.at_level(logging.INFO):
        migrate(fresh_database_url, RELEASE_N)

    assert _query(fresh_database_url, "SELECT version_num FROM alembic_version") == ["r0003"]
    assert (
        "database is at r0003, a later revision than this release's head r0002: nothing to do"
        in caplog.messages
    )


def test_a_release_two_behind_also_leaves_the_schema_alone(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    migrate(fresh_database_url, _release(tmp_path, monkeypatch, "release_n1", r0003="r0002"))
    later = _release(tmp_path, monkeypatch, "release_n2", r0003="r0002", r0004="r0003")
    migrate(fresh_database_url, later)

    migrate(fresh_database_url, RELEASE_N)

    assert _query(fresh_database_url, "SELECT version_num FROM alembic_version") == ["r0004"]


def test_a_database_migrated_before_lineage_was_recorded_still_rolls_back(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    _query(fresh_database_url, "DROP TABLE migration_lineage")  # as a database from before it
    migrate(fresh_database_url, _release(tmp_path, monkeypatch, "release_n1", r0003="r0002"))

    migrate(fresh_database_url, RELEASE_N)

    assert _query(fresh_database_url, "SELECT version_num FROM alembic_version") == ["r0003"]


def test_migrate_refuses_a_database_whose_history_does_not_descend_from_its_head(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another branch: its own revision after r0001, never r0002.
    branch = _release(tmp_path, monkeypatch, "branch", x0002="r0001")
    (tmp_path / "branch" / "versions" / "r0002_outbox.py").unlink()
    migrate(fresh_database_url, branch)

    with pytest.raises(SchemaMismatch) as refused:
        migrate(fresh_database_url, RELEASE_N)

    assert str(refused.value) == (
        "database is at x0002, which does not descend from this release's head r0002 "
        "(another branch's or another service's migrations?): refusing to migrate"
    )
    assert _query(fresh_database_url, "SELECT version_num FROM alembic_version") == ["x0002"]


async def test_a_service_refuses_to_start_on_a_schema_older_than_its_own(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    newer = _release(tmp_path, monkeypatch, "release_n1", r0003="r0002")
    database = Database(DatabaseSettings(url=fresh_database_url), migrations=newer)

    with pytest.raises(
        SchemaMismatch,
        match="database is at r0002, older than this release's "
        "head r0003: run this release's `migrate` command first",
    ):
        await database.start()


async def test_a_service_starts_on_a_later_releases_schema(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(fresh_database_url, RELEASE_N)
    migrate(fresh_database_url, _release(tmp_path, monkeypatch, "release_n1", r0003="r0002"))
    database = Database(DatabaseSettings(url=fresh_database_url), migrations=RELEASE_N)

    await database.start()
    try:
        assert database.health().status == "up"
    finally:
        await database.stop()
