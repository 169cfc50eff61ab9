"""Each replica mints ids with its own worker id: claimed from its database, or from settings."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings, build
from chassis.db import Database, DatabaseSettings, next_id
from chassis.testing import run_alone

WORKER_BITS_SHIFT = 12  # the 12-bit sequence sits below the 10-bit worker id


def test_ids_carry_the_worker_id_from_settings() -> None:
    build(GreeterSettings(worker_id=5))
    assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == 5
    build(GreeterSettings(worker_id=9))
    assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == 9


def test_an_app_without_a_worker_id_claims_one_from_its_postgres_database(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("worker ids are claimed from PostgreSQL (set DATABASE_URL)")
    database = Database(DatabaseSettings(url=database_url))
    with TestClient(create_app(GreeterSettings(), components=[database])) as client:
        claim = client.get("/health/ready").json()["dependencies"]["worker_id"]
        assert claim["status"] == "up"
        assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == claim["info"]["worker_id"]


def test_an_app_on_sqlite_makes_ids_as_worker_zero_without_claiming(tmp_path: Path) -> None:
    database = Database(DatabaseSettings(url=f"sqlite:///{tmp_path / 'alone.sqlite3'}"))
    with TestClient(create_app(GreeterSettings(), components=[database])) as client:
        assert "worker_id" not in client.get("/health/ready").json()["dependencies"]
        assert (next_id() >> WORKER_BITS_SHIFT) & 0x3FF == 0


_ON_SQLITE = """
import sys
from fastapi.testclient import TestClient
from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings
from chassis.db import Database, DatabaseSettings, database_unavailable

database = Database(DatabaseSettings(url=sys.argv[1]))
with TestClient(create_app(GreeterSettings(), components=[database])) as client:
    ready = client.get("/health/ready").status_code
    unavailable = database_unavailable(RuntimeError("not a database error"))
print("psycopg loaded:", "psycopg" in sys.modules, ready, unavailable)
"""


def test_an_app_on_sqlite_never_loads_the_postgresql_driver(tmp_path: Path) -> None:
    # A process of its own: psycopg, once imported (this test run's fixtures do), stays. 9 MB.
    run = run_alone(_ON_SQLITE, f"sqlite:///{tmp_path / 'alone.sqlite3'}")
    assert run.returncode == 0, run.stderr
    assert "psycopg loaded: False 200 False" in run.stdout, run.stdout + run.stderr
