"""The relay: publishes what the outbox holds, in order, until the broker has taken it."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import anyio
import sqlalchemy as sa

from chassis.lifecycle import Component, Health, cancel
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


class OutboxRelay(Component):
    """Claims unsent outbox rows, publishes each through `publish`, marks them sent.

    Several replicas cooperate (each claims a disjoint batch). While the broker or the database
    is down, rounds are retried with capped exponential backoff and nothing is lost; on stop
    it keeps publishing for `grace_period` to leave the outbox empty.

    >>> relay = OutboxRelay(database, bus.publish, settings.outbox)
    >>> create_app(settings, components=[database, bus, relay])  # stops first: bus still up
    """

    name = "outbox-relay"
    required = False  # a broker outage delays events; the API keeps serving

    def __init__(
        self, database: Database, publish: Publish, settings: OutboxSettings | None = None
    ) -> None:
        self.database = database
        self.publish = publish
        self.settings = settings or OutboxSettings()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._failure: str | None = None
        self._backlog = 0
        self._purged_at = float("-inf")

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        done, _ = await asyncio.wait({task}, timeout=self.settings.grace_period)
        if not done:
            # Rows claimed by the cancelled round stay leased; they are relayed after the lease.
            _log.warning("outbox not empty after %gs; the rest waits", self.settings.grace_period)
            await cancel(task)

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll (e.g. right after a commit)."""
        self._wake.set()

    def health(self) -> Health:
        if self._failure is not None:
            return Health.down(self._failure, backlog=self._backlog)
        return Health.up(backlog=self._backlog)

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

    async def _run(self) -> None:
        delay = self.settings.retry_initial
        while not self._stopping.is_set():
            try:
                sent = await self.relay_once()
                await self._purge_now_and_then()
            except Exception as exc:
                if self._failure is None:
                    _log.warning("relaying failed, retrying with backoff: %r", exc)
                self._failure = f"{type(exc).__name__}: {exc}"
                # Jitter keeps replicas from retrying in lockstep; not security-relevant.
                await self._pause(random.uniform(delay / 2, delay))  # noqa: S311
                delay = min(delay * 2, self.settings.retry_max)
                continue
            if self._failure is not None:
                _log.info("relaying again; backlog %d", self._backlog)
            self._failure, delay = None, self.settings.retry_initial
            if sent == 0:
                await self._pause(self.settings.poll_interval)
        await self._drain()

    async def _drain(self) -> None:
        while True:
            try:
                if await self.relay_once() == 0:
                    return
            except Exception as exc:
                _log.warning("outbox left with %d event(s) at stop: %s", self._backlog, exc)
                return

    async def _pause(self, seconds: float) -> None:
        with anyio.move_on_after(seconds):
            async with anyio.create_task_group() as group:

                async def until(event: asyncio.Event) -> None:
                    await event.wait()
                    group.cancel_scope.cancel()

                group.start_soon(until, self._stopping)
                group.start_soon(until, self._wake)
        self._wake.clear()

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
