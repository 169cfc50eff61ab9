"""Snowflake worker ids claimed from the service's own database: no two live processes share one.

How: a PostgreSQL session-level advisory lock, `pg_try_advisory_lock(LOCK_KEY, n)`, taken on a
connection of the lease's own that stays open for the process's life, trying n from a random
start over 0..1023 (skipping the ones `pg_locks` shows taken). Why this design:
- the lock lives exactly as long as the session: the server frees it the moment the process's
  connection ends (exit, crash, kill -9, a deleted pod), so nothing leaks and nothing expires
  under a live process. A lease row with a TTL needs heartbeats and clocks, and can expire under
  a paused process or outlive a dead one; hashing pod names collides (10 pods in 1024 ids: 4 %);
  StatefulSet ordinals tie ids to one platform and do not cover the local fleet or compose;
- advisory locks are per database, and each service has its own: 1024 ids per service;
- nothing is written, so there is no table, migration or cleanup job.

Losing the connection loses the claim, since the server may hand the id to another process at
once. The lease notices at once when the server ends the session (a restart, a terminated
backend: it waits on the socket), and within `recheck` + `health_timeout` seconds when the
server goes silent (it pings). Until it holds an id again (possibly another one) `next_id()`
raises WorkerIdUnavailable (answered 503) and readiness reports `worker_id` down. A silent
client's lock is freed only when the server's TCP keepalive gives up, long after that.

The lock needs a real session: point `database.url` at PostgreSQL itself or a session-mode pool,
never a transaction-mode pooler (PgBouncer `pool_mode=transaction`).

>>> lease = WorkerIdLease(settings.database)   # create_app adds it when worker_id is unset
>>> await lease.start()                         # claims, e.g. worker id 517; next_id() uses it
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Any

import psycopg

from chassis.db.engine import normalize_url
from chassis.db.ids import WORKER_IDS, hold_worker_id, release_worker_id
from chassis.db.settings import DatabaseSettings
from chassis.lifecycle import Component, Health, StartupRefused, cancel
from chassis.logging import tagged_logger

__all__ = ["LOCK_KEY", "WorkerIdLease", "WorkerIdsExhausted"]

LOCK_KEY = 0x464C4944
"""The first key of every worker-id lock ("FLID"); the second is the worker id. In `pg_locks`:
locktype 'advisory', classid LOCK_KEY, objid the worker id, objsubid 2."""

_log = tagged_logger("DB")
_CLAIM_SECONDS = 10.0  # for the scan after connecting: a few round trips, 1024 at worst
_RETRY_FIRST, _RETRY_MAX = 0.2, 5.0
_TAKEN = """
    SELECT objid::int FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 2 AND classid = %(key)s::oid AND granted
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


class WorkerIdsExhausted(StartupRefused):
    """Every worker id of the database is held by another live process."""


class WorkerIdLease(Component):
    """Claims a worker id from the service's PostgreSQL database and holds it while running.

    `worker_id`: claim this one only (a `worker_id` set in the settings), so that claimers skip
    it and a second process set to the same id fails to start instead of sharing it.
    `recheck`: seconds between pings of the lock's connection (a server that ends the session
    is noticed at once; a silent one within recheck + `settings.health_timeout`).
    """

    name = "worker_id"

    def __init__(
        self, settings: DatabaseSettings, *, worker_id: int | None = None, recheck: float = 1.0
    ) -> None:
        self.settings = settings
        self.pinned = worker_id
        self.recheck = recheck
        self._connection: psycopg.AsyncConnection[Any] | None = None
        self._abandoned: asyncio.Future[Any] | None = None  # a ping that never answered
        self._worker_id: int | None = None
        self._health = Health.down("not started")
        self._keeper: asyncio.Task[None] | None = None

    @property
    def worker_id(self) -> int | None:
        """The worker id held now; None while claiming one."""
        return self._worker_id

    @property
    def where(self) -> str:
        return normalize_url(self.settings.url).render_as_string(hide_password=True)

    async def start(self) -> None:
        """Claim a worker id. Every id taken fails the start; an unreachable database does not
        (readiness says why, no id is made, and the lease keeps trying)."""
        try:
            await self._claim()
        except (psycopg.Error, OSError, TimeoutError) as exc:
            self._lose(f"cannot claim a worker id from {self.where}: {_first_line(exc)}")
        self._keeper = asyncio.get_running_loop().create_task(self._keep())

    async def stop(self) -> None:
        await cancel(self._keeper)
        self._keeper = None
        await self._unlock()
        await self._close()
        release_worker_id(self)
        self._worker_id, self._health = None, Health.down("stopped")

    def health(self) -> Health:
        return self._health

    async def _claim(self) -> None:
        url = normalize_url(self.settings.url).set(drivername="postgresql")
        connection = await psycopg.AsyncConnection.connect(
            url.render_as_string(hide_password=False),
            autocommit=True,
            connect_timeout=max(2, round(self.settings.connect_timeout)),
            application_name="fleet worker id",  # how operators find it in pg_stat_activity
        )
        try:
            async with asyncio.timeout(_CLAIM_SECONDS):
                worker_id = await _first_free(connection, self.pinned)
        except BaseException:
            await connection.close()
            raise
        if worker_id is None:
            await connection.close()
            raise WorkerIdsExhausted(self._exhausted())
        self._connection, self._worker_id = connection, worker_id
        hold_worker_id(self, worker_id)
        self._health = Health.up(worker_id=worker_id)
        _log.info("claimed worker id %d from %s", worker_id, self.where)

    async def _keep(self) -> None:
        """Watch the claim; when it is lost, claim again (with backoff) until one is held."""
        delay = _RETRY_FIRST
        while True:
            connection = self._connection
            if connection is None:
                try:
                    await self._claim()
                    delay = _RETRY_FIRST
                except (WorkerIdsExhausted, psycopg.Error, OSError, TimeoutError) as exc:
                    detail = f"claiming a worker id: {_first_line(exc)}"
                    if detail != self._health.detail:
                        _log.warning("%s", detail)
                    self._health = Health.down(detail)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, _RETRY_MAX)
                continue
            try:
                await self._watch(connection)
            except (psycopg.Error, OSError, TimeoutError) as exc:
                self._lose(f"lost worker id {self._worker_id} ({_first_line(exc)})")
                await self._close()

    async def _watch(self, connection: psycopg.AsyncConnection[Any]) -> None:
        """Return never; raise when the connection ends (at once) or stops answering."""
        while True:
            # Waits on the socket: a session the server ends raises here without delay.
            async for _ in connection.notifies(timeout=self.recheck):
                pass
            # Not asyncio.timeout: cancelling a query makes psycopg wait up to 10 s for the
            # server, and ids must stop at once. The ping is abandoned and closed with the
            # connection instead.
            ping = asyncio.ensure_future(connection.execute("SELECT 1"))
            done, _ = await asyncio.wait({ping}, timeout=self.settings.health_timeout)
            if not done:
                self._abandoned = ping
                raise TimeoutError(f"no answer within {self.settings.health_timeout:g}s")
            ping.result()

    async def _unlock(self) -> None:
        """Free the id before closing: the server frees a closed session's locks only when its
        backend exits, after `close()` returns, so a successor started at once would find the id
        taken. Bounded like the ping; on any failure the close frees it a moment later."""
        connection, worker_id = self._connection, self._worker_id
        if connection is None or worker_id is None or self._abandoned is not None:
            return
        unlock = asyncio.ensure_future(
            connection.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_KEY, worker_id))
        )
        done, _ = await asyncio.wait({unlock}, timeout=self.settings.health_timeout)
        if not done:
            self._abandoned = unlock
        elif (failure := unlock.exception()) is not None:
            _log.warning("freeing worker id %d: %s", worker_id, _first_line(failure))

    def _exhausted(self) -> str:
        where = f"{self.where} (advisory locks {LOCK_KEY} in pg_locks)"
        if self.pinned is not None:
            return (
                f"worker id {self.pinned} (set in the settings) is held by another live process "
                f"of {where}: unset worker_id to claim a free one"
            )
        return (
            f"all {WORKER_IDS} worker ids of {where} are held by other live processes: "
            "stop some, or check for sessions that hold them"
        )

    def _lose(self, reason: str) -> None:
        hold_worker_id(self, None)  # no id is made from here on
        self._worker_id = None
        self._health = Health.down(f"{reason}; claiming one again")
        _log.warning("%s: making no ids until a worker id is claimed again", reason)

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()
        abandoned, self._abandoned = self._abandoned, None
        if abandoned is not None:
            abandoned.cancel()
            with contextlib.suppress(BaseException):
                await abandoned


async def _first_free(
    connection: psycopg.AsyncConnection[Any], pinned: int | None = None
) -> int | None:
    """Lock `pinned`, or the first free worker id from a random start (which spreads replicas
    that start together). The lock decides, not the pg_locks snapshot: a process racing this
    one makes a try fail, never succeed twice."""
    if pinned is None:
        taken_now = await connection.execute(_TAKEN, {"key": LOCK_KEY})
        taken = {row[0] for row in await taken_now.fetchall()}
        start = secrets.randbelow(WORKER_IDS)
        candidates = [(start + step) % WORKER_IDS for step in range(WORKER_IDS)]
    else:
        taken, candidates = set(), [pinned]
    for worker_id in candidates:
        if worker_id in taken:
            continue
        cursor = await connection.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_KEY, worker_id)
        )
        row = await cursor.fetchone()
        if row is not None and row[0]:
            return worker_id
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
