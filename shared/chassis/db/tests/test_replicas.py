"""Two replicas, two OS processes, one table keyed by snowflake id: claimed worker ids never
collide. The same run with one worker id hand-given to both shows what the claim prevents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg
import pytest

from chassis.db import normalize_url

ROWS_PER_REPLICA = 10_000
TABLE = "created_row"


@pytest.fixture
def postgres_url(fresh_database_url: str) -> str:
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("worker ids are claimed from PostgreSQL (set DATABASE_URL)")
    with connect(fresh_database_url) as session:
        session.execute("CREATE TABLE created_row (id bigint PRIMARY KEY, replica text NOT NULL)")
    return fresh_database_url


def connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    conninfo = normalize_url(url).set(drivername="postgresql").render_as_string(False)
    return psycopg.connect(conninfo, autocommit=True)


def run_replicas(url: str, *extra: str) -> list[dict[str, Any]]:
    """Start two replica processes, let both claim, then have them create rows at once."""
    command = [sys.executable, "-m", "chassis.db.tests.replica", url, TABLE, str(ROWS_PER_REPLICA)]
    with started(2, [*command, *extra]) as replicas:
        claims = [json.loads(read_line(replica)) for replica in replicas]
        for replica in replicas:  # go: both make their ids in the same milliseconds
            assert replica.stdin is not None
            replica.stdin.write("go\n")
            replica.stdin.flush()
        reports = [json.loads(read_line(replica)) for replica in replicas]
    assert [c["worker_id"] for c in claims] == [r["worker_id"] for r in reports]
    return reports


@contextmanager
def started(count: int, command: list[str]) -> Iterator[list[subprocess.Popen[str]]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with ExitStack() as stack:
        replicas = [
            stack.enter_context(
                subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
                )
            )
            for _ in range(count)
        ]
        try:
            yield replicas
        finally:
            for replica in replicas:
                if replica.poll() is None:
                    replica.kill()


def read_line(replica: subprocess.Popen[str]) -> str:
    assert replica.stdout is not None
    line = replica.stdout.readline()
    assert line, f"the replica exited with {replica.wait()}"
    return line


def rows_in(url: str) -> int:
    with connect(url) as session:
        row = session.execute("SELECT count(*) FROM created_row").fetchone()
        return int(row[0]) if row else 0


def test_two_replicas_create_20000_rows_without_one_id_colliding(postgres_url: str) -> None:
    reports = run_replicas(postgres_url)
    assert reports[0]["worker_id"] != reports[1]["worker_id"]
    assert rows_in(postgres_url) == 2 * ROWS_PER_REPLICA


def test_two_replicas_given_the_same_worker_id_collide(postgres_url: str) -> None:
    run_replicas(postgres_url, "--worker-id", "0")
    # The bug the claim fixes: rows lost as duplicates (of ~20,000, thousands).
    assert rows_in(postgres_url) < 2 * ROWS_PER_REPLICA
