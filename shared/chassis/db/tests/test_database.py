"""The Database component: URLs, readiness, and healing after the server restarts."""

import asyncio
import threading
import time

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


async def test_stopping_waits_for_connections_still_in_use(database_url: str) -> None:
    database = Database(DatabaseSettings(url=database_url))
    await database.start()
    released = threading.Event()

    def hold() -> None:
        with database.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            time.sleep(0.3)  # a unit of work finishing while the app shuts down
        released.set()

    worker = threading.Thread(target=hold)
    worker.start()
    await asyncio.sleep(0.05)
    await database.stop()
    assert released.is_set()  # its connection went back before the pool was closed
    worker.join()
