"""Readings gathered into batches: each message waits for the commit of the batch it joined.

A batch is written when it holds `batch_size` messages or its first one has waited
`max_delay` seconds. The handler that submitted a message returns (and the bus acks the
message) only after the batch committed, so a crash loses nothing that was acknowledged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from chassis.db import Database, UnitOfWork
from chassis.lifecycle import Component, Health
from chassis.logging import tagged_logger
from devices.adapters.reading_store import store_samples
from devices.service.ingestion import Sample

_log = tagged_logger("DB")

AfterWrite = Callable[[UnitOfWork, Sequence[Sample]], bool]
"""Runs in the batch's transaction after the samples are written (alarm evaluation); True when
something needs following up once committed (`after_commit`: open the new alarms' tasks)."""


class ReadingBatcher(Component):
    name = "reading-batcher"
    required = False

    def __init__(
        self,
        database: Database,
        *,
        batch_size: int,
        max_delay: float,
        after_write: AfterWrite | None = None,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.database = database
        self.batch_size = batch_size
        self.max_delay = max_delay
        self.after_write = after_write
        self.after_commit = after_commit
        self._samples: list[Sample] = []
        self._waiting: list[asyncio.Future[None]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self.committed = 0

    async def start(self) -> None:
        self._samples, self._waiting = [], []

    async def stop(self) -> None:
        self._flush()
        if self._flushes:
            await asyncio.wait(self._flushes)

    def health(self) -> Health:
        return Health.up(pending=len(self._waiting), committed=self.committed)

    async def submit(self, samples: Sequence[Sample]) -> None:
        """Returns once `samples` are committed; raises if their batch could not be."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._samples.extend(samples)
        self._waiting.append(done)
        if len(self._waiting) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.max_delay, self._flush)
        await done

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._waiting:
            return
        samples, waiting = self._samples, self._waiting
        self._samples, self._waiting = [], []
        task = asyncio.get_running_loop().create_task(self._write(samples, waiting))
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _write(self, samples: list[Sample], waiting: list[asyncio.Future[None]]) -> None:
        def work(uow: UnitOfWork) -> bool:
            store_samples(uow.session, samples, time.time_ns() // 1000)
            return self.after_write is not None and self.after_write(uow, samples)

        try:
            follow_up = await self.database.transaction(work)
        except Exception as exc:
            _log.warning("a batch of %d messages failed to commit: %s", len(waiting), exc)
            for future in waiting:
                if not future.done():
                    future.set_exception(exc)
            return
        self.committed += len(waiting)
        if follow_up and self.after_commit is not None:
            self.after_commit()
        for future in waiting:
            if not future.done():
                future.set_result(None)
