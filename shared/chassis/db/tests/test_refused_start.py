"""A service that refuses what it finds at start says why in one line and exits 1: no traceback.

Run as operators run it, `... serve` in a process of its own, against a real database.
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from chassis.db import migrate, normalize_url
from chassis.db.tests.pump_service import MIGRATIONS
from chassis.db.worker_lease import LOCK_KEY


def serve(database_url: str, free_port: int, **env: str) -> subprocess.CompletedProcess[str]:
    """`serve` the pump service until it exits; its output, stdout and stderr together."""
    return subprocess.run(
        [sys.executable, "-m", "chassis.db.tests.pump_service", "serve", "--port", str(free_port)],
        # The subprocess sees the same code as this test (Pants puts sources on sys.path).
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(sys.path),
            "PUMPS__DATABASE__URL": database_url,
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
    )


def test_a_schema_older_than_the_release_stops_serve_with_its_reason_in_one_line(
    fresh_database_url: str, free_port: int
) -> None:
    migrate(fresh_database_url, MIGRATIONS, revision="r0001")  # this release's `migrate` not run

    result = serve(fresh_database_url, free_port)

    assert result.returncode == 1, result.stdout
    reason = (
        "database refused to start: database is at r0001, older than this release's head "
        "r0002: run this release's `migrate` command first"
    )
    assert result.stdout.count(reason) == 1, result.stdout
    assert "Traceback" not in result.stdout


def test_a_worker_id_held_by_another_process_stops_serve_with_its_reason_in_one_line(
    fresh_database_url: str, free_port: int
) -> None:
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("worker ids are claimed from PostgreSQL (set DATABASE_URL)")
    migrate(fresh_database_url, MIGRATIONS)
    conninfo = normalize_url(fresh_database_url).set(drivername="postgresql")
    with psycopg.connect(conninfo.render_as_string(False), autocommit=True) as other_process:
        other_process.execute("SELECT pg_advisory_lock(%s, 7)", (LOCK_KEY,))

        result = serve(fresh_database_url, free_port, PUMPS__WORKER_ID="7")

    assert result.returncode == 1, result.stdout
    assert (
        result.stdout.count(
            "worker_id refused to start: worker id 7 (set in the settings) "
            "is held by another live process"
        )
        == 1
    ), result.stdout
    assert "Traceback" not in result.stdout
