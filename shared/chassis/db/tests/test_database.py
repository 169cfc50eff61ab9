"""The Database component: URLs, readiness, and healing after the server restarts."""

import sqlalchemy as sa

from chassis.db import Database, DatabaseSettings, normalize_url
from chassis.testing import PrivatePostgres


def test_postgres_urls_are_driven_by_psycopg_3() -> None:
    url = normalize_url("postgresql://fleet:pw@db:5432/tasks")
    assert url.drivername == "postgresql+psycopg"


async def test_ready_when_the_database_answers(database: Database) -> None:
    assert (await database.check()).status == "up"
    assert database.health().status == "up"


async def test_engine_heals_after_a_postgres_restart(private_postgres: PrivatePostgres) -> None:
    database = Database(DatabaseSettings(url=private_postgres.url, health_cache=0))
    await database.start()
    try:
        select_one = sa.text("SELECT 1")
        with database.session() as session:  # leaves a connection in the pool
            session.execute(select_one)
        private_postgres.stop()
        assert (await database.check()).status == "down"
        private_postgres.start()
        # The pooled connection died with the server; pre-ping replaces it transparently.
        with database.session() as session:
            assert session.execute(select_one).scalar_one() == 1
        assert (await database.check()).status == "up"
    finally:
        await database.stop()
