"""The Database component: the engine's lifecycle, sessions, units of work and readiness."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from chassis.db.engine import create_engine, normalize_url, sqlite_file
from chassis.db.events import EventCommits
from chassis.db.schema import SchemaMismatch, schema_standing
from chassis.db.settings import DatabaseSettings
from chassis.db.unit_of_work import UnitOfWork
from chassis.lifecycle import Component, Health
from chassis.logging import tagged_logger
from chassis.tracing import trace_database

T = TypeVar("T")
_log = tagged_logger("DB")


class Database(Component):
    """The service's own database. Sessions are synchronous; async code reaches them through
    `transaction()`, which runs the work in a worker thread (see the package docstring).

    >>> database = Database(settings.database, migrations="tasks.migrations", source="tasks")
    >>> task = await database.transaction(lambda uow: TaskRepository(uow.session).get(task_id))

    `source`: the service whose events its units of work record (`uow.record`);
    `topic_prefix` goes before their topics (tests isolate themselves with it).
    `event_commits` hears of every commit of its units of work that wrote events: the outbox
    relay listens there, so events leave at once rather than at its next poll.
    """

    def __init__(
        self,
        settings: DatabaseSettings,
        *,
        migrations: str | None = None,
        name: str = "database",
        source: str | None = None,
        topic_prefix: str = "",
    ) -> None:
        self.settings = settings
        self.migrations = migrations
        self.name = name
        self.source = source
        self.topic_prefix = topic_prefix
        self.event_commits = EventCommits()
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._health = Health.down("not started")
        self._checked_at = float("-inf")
        self._probe: asyncio.Task[Health] | None = None
        # Held by a ping's thread, which may outlive a timed-out check(): stop() waits for it.
        self._pinging = threading.Lock()

    @property
    def url(self) -> sa.URL:
        return normalize_url(self.settings.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError(f"{self.name} is not started")
        return self._engine

    async def start(self) -> None:
        url = self.url
        path = sqlite_file(url)
        if path is not None:
            await anyio.to_thread.run_sync(lambda: path.parent.mkdir(parents=True, exist_ok=True))
        if self.settings.migrate_at_start:
            await anyio.to_thread.run_sync(self._migrate_if_needed)
        self._engine = create_engine(self.settings)
        trace_database(self._engine)
        self._sessions = sessionmaker(self._engine, class_=Session, expire_on_commit=False)
        health = await self.check()
        where = url.render_as_string(hide_password=True)
        if health.status == "down":
            # Not fatal: readiness reports it, and the pool connects once the server is back.
            _log.warning("%s is unreachable at start (%s)", where, health.detail)
            return
        _log.info("connected to %s", where)
        if self.migrations and not self.settings.migrate_at_start:
            await self._check_schema(self.migrations)

    def migrate(self) -> None:
        """Upgrade the database to this release's latest migration (the `migrate` command)."""
        if self.migrations:
            # Imported here: Alembic holds ~10 MB a process that only serves never needs.
            from chassis.db.migrations import migrate

            migrate(self.settings.url, self.migrations)

    def _migrate_if_needed(self) -> None:
        # Most starts find the schema at head (or a later release's): then Alembic, and the
        # ~10 MB it would hold for the process's life, is not needed. Blocking.
        if self.migrations:
            schema = schema_standing(self.settings.url, self.migrations)
            if schema.standing in ("behind", "diverged"):  # migrate applies, or refuses
                self.migrate()

    async def _check_schema(self, migrations: str) -> None:
        """Refuse to serve on a schema older than this release's (the `migrate` job has not
        run) or foreign to it; a later release's schema is fine (expand/contract: a rollback).
        Checked only when the server answers at start: an unreachable one is readiness' job."""
        schema = await anyio.to_thread.run_sync(schema_standing, self.settings.url, migrations)
        if schema.standing in ("behind", "diverged"):
            advice = {"behind": "run this release's `migrate` command first"}
            await self.stop()  # a component that fails to start is not stopped by the app
            raise SchemaMismatch(schema, advice.get(schema.standing, "refusing to serve"))
        if schema.standing == "ahead":
            _log.info("%s: serving on it", schema.describe())

    async def stop(self) -> None:
        # Let a ping in flight finish first: its thread holds the engine, and a connection it
        # opened after dispose() would never be closed.
        wait = self.settings.health_timeout + self.settings.connect_timeout
        idle = await anyio.to_thread.run_sync(lambda: self._pinging.acquire(timeout=wait))
        try:
            engine, self._engine, self._sessions = self._engine, None, None
            if self._probe is not None:
                self._probe.cancel()
            if engine is not None:
                await _returned(engine, within=wait)
                await anyio.to_thread.run_sync(engine.dispose)
        finally:
            if idle:
                self._pinging.release()
        self._health = Health.down("stopped")

    def session(self) -> Session:
        """A new session (a SQLModel `Session`); prefer `unit_of_work()` for writes."""
        if self._sessions is None:
            raise RuntimeError(f"{self.name} is not started")
        return self._sessions()

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work on this database; use it in a `with` block, in a worker thread."""
        return UnitOfWork(
            self.session,
            source=self.source,
            topic_prefix=self.topic_prefix,
            event_commits=self.event_commits,
        )

    async def transaction(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run `work(uow)` in a worker thread and commit when it returns (roll back if it
        raises). The event loop never waits on the database."""

        def run() -> T:
            with self.unit_of_work() as uow:
                result = work(uow)
                uow.commit()
                return result

        return await anyio.to_thread.run_sync(run)

    async def read(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run the read-only `work(uow)` in a worker thread, outside a transaction: each
        statement sees the latest commit. A one-query read then costs one round trip instead
        of three (BEGIN, the query, COMMIT). Do not write in it: a write would commit at once."""

        def run() -> T:
            with self.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT")
                sessions = partial(Session, bind=connection, expire_on_commit=False)
                with UnitOfWork(sessions, source=self.source) as uow:
                    return work(uow)

        return await anyio.to_thread.run_sync(run)

    def health(self) -> Health:
        """The last ping's result; a stale one starts a new ping in the background, so
        /health/ready never waits on the database."""
        if time.monotonic() - self._checked_at > self.settings.health_cache and (
            self._engine is not None and (self._probe is None or self._probe.done())
        ):
            try:
                self._probe = asyncio.get_running_loop().create_task(self.check())
            except RuntimeError:  # no event loop: a synchronous caller may wait
                self._record(self._ping())
        return self._health

    async def check(self) -> Health:
        """Ping the database now (within `health_timeout`) and remember the answer."""
        health = Health.down(f"no answer within {self.settings.health_timeout:g}s")
        with anyio.move_on_after(self.settings.health_timeout):
            health = await anyio.to_thread.run_sync(self._ping, abandon_on_cancel=True)
        self._record(health)
        return health

    def _ping(self) -> Health:
        with self._pinging:
            engine = self._engine
            if engine is None:
                return Health.down("not started")
            started = time.perf_counter()
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
            except Exception as exc:
                return Health.down(_first_line(exc))
            return Health.up(latency_ms=round((time.perf_counter() - started) * 1000, 1))

    def _record(self, health: Health) -> None:
        first = self._checked_at == float("-inf")  # start() reports the first answer itself
        if health.status != self._health.status and not first and self._engine is not None:
            log = _log.info if health.status == "up" else _log.warning
            log("%s is %s%s", self.name, health.status, f": {health.detail}" * bool(health.detail))
        self._health, self._checked_at = health, time.monotonic()


async def _returned(engine: Engine, *, within: float) -> None:
    """Wait (a bounded time) for the units of work still running to give their connections
    back: dispose() closes only the pooled ones, and one returned later would never be closed."""
    checked_out = getattr(engine.pool, "checkedout", None)
    deadline = time.monotonic() + within
    # Polled: the pool signals no event when a connection comes back.
    while checked_out is not None and checked_out() and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
