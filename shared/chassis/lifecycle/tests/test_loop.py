"""A background loop runs passes on its interval, at once when woken, outlives failures (health
says so) and stops cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TypeVar

import pytest

from chassis.lifecycle import BackgroundLoop, Backoff

FAR = 60.0  # an interval no test waits for: a pass that comes sooner came for another reason
L = TypeVar("L", bound=BackgroundLoop)


@contextlib.asynccontextmanager
async def running(loop: L) -> AsyncIterator[L]:
    await loop.start()
    try:
        yield loop
    finally:
        await loop.stop()


class Passes(BackgroundLoop):
    """Counts its passes; the first `failing` raise, the `again` after them ask for more."""

    name = "passes"

    def __init__(
        self,
        interval: float = FAR,
        *,
        failing: int = 0,
        again: int = 0,
        backoff: Backoff | None = None,
        grace_period: float = 0.0,
    ) -> None:
        super().__init__(interval=interval, backoff=backoff, grace_period=grace_period)
        self.done = 0
        self.failing, self.again = failing, again
        self.finished = False
        self._counted = asyncio.Event()

    async def run_once(self) -> float | None:
        self.done += 1
        self._counted.set()
        if self.done <= self.failing:
            raise RuntimeError("broker away")
        return 0 if self.done <= self.failing + self.again else None

    async def finish(self) -> None:
        self.finished = True

    async def reached(self, passes: int, within: float = 5.0) -> None:
        async with asyncio.timeout(within):
            while self.done < passes:
                self._counted.clear()
                await self._counted.wait()


class Stuck(BackgroundLoop):
    """A pass that never ends by itself."""

    name = "stuck"

    def __init__(self) -> None:
        super().__init__(interval=FAR)
        self.in_pass = asyncio.Event()
        self.cancelled = False

    async def run_once(self) -> None:
        self.in_pass.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


async def test_runs_a_pass_at_start_then_one_every_interval() -> None:
    async with running(Passes(interval=0.01)) as loop:
        await loop.reached(3)


async def test_a_wake_runs_the_next_pass_without_waiting_for_the_interval() -> None:
    async with running(Passes()) as loop:
        await loop.reached(1)
        loop.wake()
        await loop.reached(2)


async def test_a_wake_from_a_worker_thread_runs_the_next_pass() -> None:
    async with running(Passes()) as loop:
        await loop.reached(1)
        await asyncio.to_thread(loop.wake)
        await loop.reached(2)


async def test_what_is_done_before_any_wake_during_a_pass_is_seen_by_the_next_pass() -> None:
    class Inbox(BackgroundLoop):
        name = "inbox"

        def __init__(self) -> None:
            super().__init__(interval=FAR)
            self.inbox: list[str] = []
            self.seen: asyncio.Queue[list[str]] = asyncio.Queue()
            self.gate = asyncio.Event()

        async def run_once(self) -> None:
            self.seen.put_nowait(list(self.inbox))
            await self.gate.wait()

    async with running(Inbox()) as loop:
        assert await loop.seen.get() == []  # the first pass, now waiting at the gate
        for item in ("a", "b"):  # the second wake finds the loop woken already
            loop.inbox.append(item)
            await asyncio.to_thread(loop.wake)
        loop.gate.set()
        async with asyncio.timeout(5):
            assert await loop.seen.get() == ["a", "b"]


async def test_a_wake_before_start_or_after_stop_does_nothing() -> None:
    loop = Passes()
    loop.wake()
    await loop.start()
    await loop.reached(1)
    await loop.stop()
    loop.wake()
    assert loop.done == 1


async def test_a_pass_that_asks_for_more_is_followed_at_once() -> None:
    async with running(Passes(again=3)) as loop:
        await loop.reached(4)


async def test_health_is_down_with_the_error_while_passes_fail() -> None:
    async with running(Passes(failing=1)) as loop:
        await loop.reached(1)
        health = loop.health()
    assert (health.status, health.detail) == ("down", "RuntimeError: broker away")
    assert "failing_for_seconds" in health.info


async def test_health_is_up_again_once_a_pass_goes_through() -> None:
    async with running(Passes(failing=2, backoff=Backoff(0.01, 0.01))) as loop:
        await loop.reached(3)
        health = loop.health()
    assert health.status == "up"
    assert "last_success_seconds_ago" in health.info


async def test_failed_passes_are_retried_after_the_backoff_not_the_interval() -> None:
    async with running(Passes(failing=3, backoff=Backoff(0.01, 0.02))) as loop:
        await loop.reached(4)


async def test_logs_a_run_of_failures_once_and_the_recovery_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop = Passes(failing=3, backoff=Backoff(0.01, 0.01))
    with caplog.at_level(logging.INFO):
        async with running(loop):
            await loop.reached(4)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("passes")]
    assert lines == [
        "passes failed, retrying: RuntimeError('broker away')",
        "passes works again after 3 failed pass(es)",
    ]


async def test_stop_cancels_the_pass_under_way() -> None:
    loop = Stuck()
    await loop.start()
    await loop.in_pass.wait()
    await loop.stop()
    assert loop.cancelled


async def test_stop_with_a_grace_period_ends_the_wait_and_runs_finish() -> None:
    loop = Passes(grace_period=5.0)
    await loop.start()
    await loop.reached(1)
    await loop.stop()  # returns long before the interval: stopping ended the wait
    assert loop.finished


async def test_stop_cancels_a_pass_that_outlasts_the_grace_period() -> None:
    loop = Stuck()
    loop.grace_period = 0.01
    await loop.start()
    await loop.in_pass.wait()
    await loop.stop()
    assert loop.cancelled


def test_backoff_doubles_from_its_initial_pause_up_to_its_maximum() -> None:
    backoff = Backoff(1.0, 5.0, jitter=False)
    assert [backoff.pause(failures) for failures in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_backoff_jitter_draws_from_the_upper_half() -> None:
    backoff = Backoff(4.0, 4.0)
    assert all(2.0 <= backoff.pause(1) <= 4.0 for _ in range(100))
