"""The relay: publishes what the outbox holds, in order, until the broker has taken it.

Events leave within milliseconds of their commit: a unit of work that committed events tells its
database's `event_commits`, where the relay listens, and the relay looks at once. Polling is the
safety net for what no commit in this process announced: another replica's rows, a crash between
commit and publish (the rows are there; the next sweep finds them), a broker that was down.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import anyio
import orjson
import sqlalchemy as sa
from opentelemetry.context import Context, attach, detach

from chassis.db.engine import create_engine
from chassis.lifecycle import BackgroundLoop, Backoff, Health
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.outbox import store
from chassis.outbox.settings import OutboxSettings
from chassis.tracing import TRACEPARENT, context_of, tracing_enabled

if TYPE_CHECKING:
    from chassis.db import Database

R = TypeVar("R")

Publish = Callable[[str, bytes], Awaitable[None]]
"""Hands one message to the broker; returns once the broker has it (QoS 1 PUBACK), else raises.

The relay calls it for a whole batch before awaiting any: it must hand each message to its
connection, in call order, before it first waits (`Bus.publish` does)."""

_log = tagged_logger("OUTBOX")
_PURGE_EVERY = 300.0  # seconds between deletions of long-published rows


class OutboxRelay(BackgroundLoop):
    """Claims unsent outbox rows, publishes them through `publish`, marks them sent.

    Woken after every commit of its database's units of work that wrote events, else every
    `poll_interval`. A round hands its whole batch to `publish` at once, in id order, and then
    waits for every acknowledgement (pipelined QoS 1: one connection delivers in the order it
    was given, so each aggregate's events keep theirs). Several replicas cooperate (each claims
    a disjoint batch). While the broker or the database is down, rounds are retried with capped
    exponential backoff and nothing is lost; on stop it keeps publishing for `grace_period` to
    leave the outbox empty.

    Fair share: its database calls run on a worker thread of its own (`CapacityLimiter(1)`),
    not among the 40 the requests share, and on PostgreSQL on a connection of its own, not from
    the pool requests may hold entirely: a saturated service still relays (docs/performance.md).

    >>> relay = OutboxRelay(database, bus.publish, settings.outbox)
    >>> create_app(settings, components=[database, bus, relay])  # stops first: bus still up
    """

    name = "outbox-relay"
    required = False  # a broker outage delays events; the API keeps serving
    log = _log

    def __init__(
        self, database: Database, publish: Publish, settings: OutboxSettings | None = None
    ) -> None:
        settings = settings or OutboxSettings()
        # Stopping past the grace period cancels the round: the rows it claimed stay leased
        # and are relayed after the lease. `wake()` looks at the outbox before the next poll.
        super().__init__(
            interval=settings.poll_interval,
            backoff=Backoff(settings.retry_initial, settings.retry_max),
            grace_period=settings.grace_period,
        )
        self.settings = settings
        self.database = database
        self.publish = publish
        self._backlog = 0
        self._counted_at = float("-inf")
        self._purged_at = float("-inf")
        self._acked: list[int] = []  # published, to be marked sent by the next round's claim
        self._stop_listening: Callable[[], None] | None = None
        self._own_thread: anyio.CapacityLimiter | None = None
        self._engine: sa.Engine | None = None

    async def start(self) -> None:
        self._own_thread = anyio.CapacityLimiter(1)
        self._engine = self._own_engine()
        self._stop_listening = self.database.event_commits.listen(self.wake)
        await super().start()

    async def stop(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        await super().stop()
        engine, self._engine = self._engine, None
        if engine is not None:
            await anyio.to_thread.run_sync(engine.dispose)

    def _own_engine(self) -> sa.Engine | None:
        """PostgreSQL: one connection of the relay's own (opened at the first round). SQLite
        (None): the database's engine, which writes one transaction at a time anyway (and whose
        in-memory databases another engine would not see)."""
        if self.database.url.get_backend_name() != "postgresql":
            return None
        return create_engine(self.database.settings, pool_size=1, max_overflow=0)

    def health(self) -> Health:
        return self.loop_health(backlog=self._backlog)

    async def run_once(self) -> float | None:
        sent = await self.relay_once()
        await self._purge_now_and_then()
        # A full batch: more may wait, look again at once. Less: the outbox had no more, and
        # what commits from now on wakes the relay (or the poll finds it).
        return 0 if sent >= self.settings.batch_size else None

    async def finish(self) -> None:
        """At stop: publish what is left, while the broker takes it."""
        while True:
            try:
                if await self.relay_once() == 0:
                    return
            except Exception as exc:
                _log.warning("outbox left with %d event(s) at stop: %s", self._backlog, exc)
                return

    async def relay_once(self) -> int:
        """One round: claim a batch, publish it in order, record the outcome. How many went.

        Raises when a publish fails; the batch's unacknowledged messages are released first
        (and published again later, after those acknowledged behind them: a failure is where
        an aggregate's order may bend, as a publish that timed out may also arrive late).
        """
        settings = self.settings
        # Marks the previous round's acknowledged ones sent (if it left them), then claims.
        batch = await self._in_thread(
            _mark_and_claim, self._acked, settings.batch_size, settings.lease
        )
        self._acked = []
        sent, failure = await self._publish_all(batch)
        if failure is not None:
            acked = set(sent)
            unsent = [m.id for m in batch if m.id not in acked]
            await self._in_thread(_settle, sent, unsent, f"{type(failure).__name__}: {failure}")
            await self._record_backlog()  # while the broker is down, the backlog is the news
            raise failure
        if len(batch) >= settings.batch_size or self.woken:
            # The next round comes at once: it marks these in its claim's transaction, one
            # trip to the database fewer per round (they stay leased to us meanwhile).
            self._acked = sent
        elif sent:
            await self._in_thread(_settle, sent, [], "")
        if time.monotonic() - self._counted_at >= settings.backlog_interval:
            await self._record_backlog()  # a full count: now and then, not every round
        return len(sent)

    async def _publish_all(
        self, batch: Sequence[store.OutboxMessage]
    ) -> tuple[list[int], Exception | None]:
        """Hand every message to `publish` in order, then wait for all their acknowledgements
        (within `publish_timeout`). The ids acknowledged, and the first failure if any."""
        if not batch:
            return [], None
        # Tasks start in the order they are made, and each hands its message to the broker
        # connection before it first waits: the connection sends them in this order.
        publishes = [self._start_publish(m) for m in batch]
        late: set[asyncio.Future[None]] = set(publishes)
        try:
            _, late = await asyncio.wait(publishes, timeout=self.settings.publish_timeout)
        finally:
            for publish in late:
                publish.cancel()  # it counts as failed; the broker may still get it (at least once)
        sent, failure = [], None
        for message, publish in zip(batch, publishes, strict=True):
            error = _failure(publish, late, self.settings.publish_timeout)
            if error is None:
                sent.append(message.id)
            elif failure is None:
                failure = error
        return sent, failure

    def _start_publish(self, message: store.OutboxMessage) -> asyncio.Future[None]:
        publish = self.publish(message.topic, message.payload)
        if not tracing_enabled():
            return asyncio.ensure_future(publish)
        # The publish continues the trace of the transaction that recorded the event (the task
        # copies the context it is made in), however long after and in whichever process.
        recorded = context_of(_traceparent_in(message.payload)) or Context()
        token = attach(recorded)
        try:
            return asyncio.ensure_future(publish)
        finally:
            detach(token)

    async def _record_backlog(self) -> None:
        self._counted_at = time.monotonic()
        backlog = await self._in_thread(store.backlog)
        self._backlog = backlog.events
        metrics = fleet_metrics()
        metrics.outbox_backlog.set(backlog.events)
        metrics.outbox_oldest_age.set(backlog.oldest_age)

    async def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at > _PURGE_EVERY:
            self._purged_at = time.monotonic()
            await self._in_thread(store.purge_sent, self.settings.keep_sent)

    async def _in_thread(self, call: Callable[..., R], *args: object) -> R:
        """Run `call(connection, *args)` in one short transaction, in the relay's own worker
        thread (requests queueing for theirs never hold it up)."""

        engine = self._engine or self.database.engine

        def run() -> R:
            with engine.begin() as conn:
                return call(conn, *args)

        return await anyio.to_thread.run_sync(run, limiter=self._own_thread)


def _failure(
    publish: asyncio.Future[None], late: set[asyncio.Future[None]], timeout: float
) -> Exception | None:
    """Why a publish did not go through (None: the broker has it)."""
    if publish in late:
        return TimeoutError(f"no acknowledgement within {timeout:g}s")
    if publish.cancelled():
        return RuntimeError("the publish was cancelled")
    error = publish.exception()
    return error if error is None or isinstance(error, Exception) else RuntimeError(repr(error))


def _traceparent_in(payload: bytes) -> str | None:
    try:
        envelope = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    found = envelope.get(TRACEPARENT) if isinstance(envelope, dict) else None
    return found if isinstance(found, str) else None


def _mark_and_claim(
    conn: sa.Connection, sent: list[int], limit: int, lease: float
) -> list[store.OutboxMessage]:
    store.mark_sent(conn, sent)
    return store.claim(conn, limit, lease)


def _settle(conn: sa.Connection, sent: list[int], unsent: list[int], error: str) -> None:
    store.mark_sent(conn, sent)
    store.release(conn, unsent, error)
