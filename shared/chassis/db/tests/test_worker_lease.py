"""Worker ids claimed from the service's PostgreSQL database: one per live process, never shared."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import psycopg
import pytest

from chassis.db import DatabaseSettings, WorkerIdUnavailable, next_id, normalize_url
from chassis.db.worker_lease import LOCK_KEY, WorkerIdLease, WorkerIdsExhausted

EVERY_ID = range(1024)


@pytest.fixture
def postgres_url(fresh_database_url: str) -> str:
    """A database of this test's own (advisory locks are per database)."""
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("worker ids are claimed from PostgreSQL (set DATABASE_URL)")
    return fresh_database_url


Session = psycopg.Connection[tuple[int]]


def connect(url: str) -> Session:
    conninfo = normalize_url(url).set(drivername="postgresql").render_as_string(False)
    return psycopg.connect(conninfo, autocommit=True)


@pytest.fixture
def holder(postgres_url: str) -> Iterator[Session]:
    """Another process's session: it holds the worker ids a test locks on it."""
    with connect(postgres_url) as connection:
        yield connection


def hold(connection: Session, worker_ids: range | list[int]) -> None:
    """Take the worker ids as their holder would (waiting for any held now)."""
    connection.execute(
        "SELECT pg_advisory_lock(%s, n) FROM unnest(%s::int[]) AS n", (LOCK_KEY, list(worker_ids))
    )


@asynccontextmanager
async def claimed(url: str) -> AsyncIterator[WorkerIdLease]:
    lease = WorkerIdLease(DatabaseSettings(url=url), recheck=0.2)
    await lease.start()
    try:
        yield lease
    finally:
        await lease.stop()


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        # Polled: what it waits for happens in PostgreSQL or in a lease, which signal nothing.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


def worker_of(snowflake: int) -> int:
    return (snowflake >> 12) & 0x3FF


async def test_two_claimers_hold_different_worker_ids(postgres_url: str) -> None:
    async with claimed(postgres_url) as first, claimed(postgres_url) as second:
        assert first.worker_id is not None
        assert second.worker_id is not None
        assert first.worker_id != second.worker_id


async def test_ids_carry_the_claimed_worker_id_and_readiness_names_it(postgres_url: str) -> None:
    async with claimed(postgres_url) as lease:
        assert worker_of(next_id()) == lease.worker_id
        assert lease.health().status == "up"
        assert lease.health().info == {"worker_id": lease.worker_id}


async def test_a_worker_id_is_free_again_once_its_holder_stops(
    postgres_url: str, holder: Session
) -> None:
    hold(holder, range(1, 1024))  # only 0 is left
    async with claimed(postgres_url) as lease:
        assert lease.worker_id == 0
    async with claimed(postgres_url) as successor:
        assert successor.worker_id == 0


async def test_a_worker_id_is_free_again_once_its_process_is_killed(
    postgres_url: str, holder: Session
) -> None:
    hold(holder, range(1, 1024))
    replica = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "chassis.db.tests.replica", postgres_url, "unused", "0"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert replica.stdout is not None
        assert json.loads(await replica.stdout.readline()) == {"worker_id": 0}
        with pytest.raises(WorkerIdsExhausted):
            await WorkerIdLease(DatabaseSettings(url=postgres_url)).start()
    finally:
        replica.kill()  # SIGKILL, as an OOM kill: no goodbye to the server
        await replica.wait()
    async with asyncio.timeout(10):
        while True:  # the server sees the socket close and ends the session
            try:
                async with claimed(postgres_url) as successor:
                    assert successor.worker_id == 0
                    return
            except WorkerIdsExhausted:
                await asyncio.sleep(0.05)


async def test_claiming_fails_with_a_clear_error_when_every_worker_id_is_taken(
    postgres_url: str, holder: Session
) -> None:
    hold(holder, EVERY_ID)
    lease = WorkerIdLease(DatabaseSettings(url=postgres_url))
    with pytest.raises(WorkerIdsExhausted, match=r"all 1024 worker ids of .* are held"):
        await lease.start()


async def test_a_worker_id_set_in_the_settings_is_refused_while_another_process_holds_it(
    postgres_url: str, holder: Session
) -> None:
    hold(holder, [7])
    lease = WorkerIdLease(DatabaseSettings(url=postgres_url), worker_id=7)
    with pytest.raises(WorkerIdsExhausted, match=r"worker id 7 .* is held by another"):
        await lease.start()


async def test_a_lost_connection_stops_ids_until_a_worker_id_is_claimed_again(
    postgres_url: str, holder: Session
) -> None:
    async with claimed(postgres_url) as lease:
        lost = lease.worker_id
        assert lost is not None
        hold(holder, [n for n in EVERY_ID if n != lost])
        # Another process waits for the lease's id, and gets it the moment the session ends.
        taker = asyncio.create_task(asyncio.to_thread(hold, holder, [lost]))
        with connect(postgres_url) as admin:
            await until(lambda: waiting_for(admin, lost))
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'fleet worker id'"
            )
        await taker
        await until(lambda: lease.health().status == "down")
        with pytest.raises(WorkerIdUnavailable):
            next_id()
        freed = (lost + 1) % 1024
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_KEY, freed))
        await until(lambda: lease.health().status == "up")
        assert lease.worker_id == freed
        assert worker_of(next_id()) == freed


def waiting_for(session: Session, worker_id: int) -> bool:
    row = session.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND classid = %s::oid AND objid = %s::oid AND objsubid = 2",
        (LOCK_KEY, worker_id),
    ).fetchone()
    return row is not None and row[0] == 1


async def test_an_unreachable_database_delays_the_claim_without_failing_the_start() -> None:
    unreachable = "postgresql://postgres@127.0.0.1:9/fleet"  # the discard port: nothing listens
    async with claimed(unreachable) as lease:
        assert lease.health().status == "down"
        assert "cannot claim a worker id" in (lease.health().detail or "")
        with pytest.raises(WorkerIdUnavailable):
            next_id()
