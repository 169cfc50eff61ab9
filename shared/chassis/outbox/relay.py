"""The relay: publishes what the outbox holds, in order, until the broker has taken it."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import anyio
import sqlalchemy as sa

from chassis.lifecycle import BackgroundLoop, Backoff, Health
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.outbox import store
from chassis.outbox.settings import OutboxSettings

if TYPE_CHECKING:
    from chassis.db import Database

R = TypeVar("R")

Publish = Callable[[str, bytes], Awaitable[None]]
"""Hands one message to the broker; returns once the broker has it (QoS 1 PUBACK), else raises."""

_log = tagged_logger("OUTBOX")
_PURGE_EVERY = 300.0  # seconds between deletions of long-published rows


class OutboxRelay(BackgroundLoop):
    """Claims unsent outbox rows, publishes each through `publish`, marks them sent.

    Several replicas cooperate (each claims a disjoint batch). While the broker or the database
    is down, rounds are retried with capped exponential backoff and nothing is lost; on stop
    it keeps publishing for `grace_period` to leave the outbox empty.

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
        self._purged_at = float("-inf")

    def health(self) -> Health:
        return self.loop_health(backlog=self._backlog)

    async def run_once(self) -> float | None:
        sent = await self.relay_once()
        await self._purge_now_and_then()
        return 0 if sent else None  # something went: look again at once, more may wait

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

        Raises when a publish fails; the unpublished rest of the batch is released first.
        """
        settings = self.settings
        batch = await self._in_thread(store.claim, settings.batch_size, settings.lease)
        sent: list[int] = []
        try:
            for message in batch:
                with anyio.fail_after(settings.publish_timeout):
                    await self.publish(message.topic, message.payload)
                sent.append(message.id)
        except Exception as exc:
            unsent = [m.id for m in batch[len(sent) :]]
            await self._in_thread(_settle, sent, unsent, f"{type(exc).__name__}: {exc}")
            await self._record_backlog()  # while the broker is down, the backlog is the news
            raise
        if batch:
            await self._in_thread(_settle, sent, [], "")
        await self._record_backlog()
        return len(sent)

    async def _record_backlog(self) -> None:
        self._backlog = await self._in_thread(store.backlog)
        fleet_metrics().outbox_backlog.set(self._backlog)

    async def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at > _PURGE_EVERY:
            self._purged_at = time.monotonic()
            await self._in_thread(store.purge_sent, self.settings.keep_sent)

    async def _in_thread(self, call: Callable[..., R], *args: object) -> R:
        """Run `call(connection, *args)` in one short transaction, in a worker thread."""

        def run() -> R:
            with self.database.engine.begin() as conn:
                return call(conn, *args)

        return await anyio.to_thread.run_sync(run)


def _settle(conn: sa.Connection, sent: list[int], unsent: list[int], error: str) -> None:
    store.mark_sent(conn, sent)
    store.release(conn, unsent, error)
