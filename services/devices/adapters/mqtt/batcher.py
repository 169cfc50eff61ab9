"""Readings gathered into batches: each message waits for the commit of the batch it joined.

A batch is written when it holds `batch_size` messages or its first one has waited
`max_delay` seconds. The handler that submitted a message returns (and the bus acks the
message) only after the batch committed, so a crash loses nothing that was acknowledged.

A batch the database refuses is split in halves, each tried on its own, down to the one message
at fault: the others are stored and only that one is dead-lettered (`refused_by_database`).
A database that is unavailable fails the whole batch instead: its handlers pause and retry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from chassis.context import current_correlation_id
from chassis.db import Database, UnitOfWork, data_refused, database_unavailable
from chassis.lifecycle import Component, Health
from chassis.logging import tagged_logger
from chassis.mqtt import DeadLetter
from chassis.tracing import current_traceparent
from devices.adapters.sql.reading_store import store_samples
from devices.service.ingestion import Received, Sample

_log = tagged_logger("DB")

AfterWrite = Callable[[UnitOfWork, Sequence[Received]], bool]
"""Runs in the batch's transaction after the samples are written (alarm evaluation), with each
message's samples and correlation id; True when something needs following up once committed
(`after_commit`: open the new alarms' tasks)."""


class _Message(NamedTuple):
    received: Received
    done: asyncio.Future[None]


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
        self._waiting: list[_Message] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self.committed = 0

    async def start(self) -> None:
        self._waiting = []

    async def stop(self) -> None:
        self._flush()
        if self._flushes:
            await asyncio.wait(self._flushes)

    def health(self) -> Health:
        return Health.up(pending=len(self._waiting), committed=self.committed)

    async def submit(self, samples: Sequence[Sample]) -> None:
        """Returns once `samples` are committed. Raises DeadLetter if the database refuses
        them, or the database's error if it is unavailable (the handler pauses and retries)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # A batch commits many messages, each its own piece of work: each keeps its id.
        received = Received(samples, current_correlation_id(), current_traceparent())
        self._waiting.append(_Message(received, done))
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
        waiting, self._waiting = self._waiting, []
        task = asyncio.get_running_loop().create_task(self._write(waiting))
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _write(self, messages: list[_Message]) -> None:
        try:
            follow_up = await self._commit(messages)
        except Exception as exc:
            if database_unavailable(exc):
                _log.warning("a batch of %d messages waits for the database: %s",
                             len(messages), _first_line(exc))  # fmt: skip
                _settle(messages, exc)
            elif len(messages) > 1:  # find the culprit; the others are stored meanwhile
                half = len(messages) // 2
                await self._write(messages[:half])
                await self._write(messages[half:])
            elif data_refused(exc):
                _settle(messages, DeadLetter("refused_by_database", _first_line(exc)))
            else:
                _log.warning("a message failed to commit: %s", _first_line(exc))
                _settle(messages, exc)
            return
        self.committed += len(messages)
        if follow_up and self.after_commit is not None:
            self.after_commit()
        _settle(messages, None)

    async def _commit(self, messages: list[_Message]) -> bool:
        received = [message.received for message in messages]
        samples = [sample for r in received for sample in r.samples]

        def work(uow: UnitOfWork) -> bool:
            store_samples(uow.session, samples, time.time_ns() // 1000)
            return self.after_write is not None and self.after_write(uow, received)

        return await self.database.transaction(work)


def _settle(messages: list[_Message], error: BaseException | None) -> None:
    for message in messages:
        if message.done.done():
            continue
        if error is None:
            message.done.set_result(None)
        else:
            message.done.set_exception(error)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"
