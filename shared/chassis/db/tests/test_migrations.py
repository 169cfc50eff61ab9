"""Alembic wiring: a service's migrations package upgrades a fresh database to head."""

import sqlalchemy as sa

from chassis.db import migrate


def test_migrate_upgrades_a_fresh_database_to_head(fresh_database_url: str) -> None:
    migrate(fresh_database_url, "chassis.db.tests.migrations")
    engine = sa.create_engine(fresh_database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert {"pump", "outbox", "processed_events"} <= tables
    assert head == "r0002"


def test_migrate_twice_is_a_no_op(fresh_database_url: str) -> None:
    migrate(fresh_database_url, "chassis.db.tests.migrations")
    migrate(fresh_database_url, "chassis.db.tests.migrations")
