"""Background work done in passes: the one loop every component with a background job runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass
from typing import Any

from chassis.lifecycle.background import cancel
from chassis.lifecycle.component import Component, Health
from chassis.logging import tagged_logger


@dataclass(frozen=True)
class Backoff:
    """The pause after failed passes: `initial` seconds after the first failure, doubling with
    each one after it, up to `maximum`. With `jitter`, each pause is drawn from the upper half
    of that, so replicas that failed together do not retry in lockstep."""

    initial: float
    maximum: float
    jitter: bool = True

    def pause(self, failures: int) -> float:
        """The pause after `failures` failed passes in a row (1 for the first)."""
        ceiling = min(self.initial * 2.0 ** min(failures - 1, 64), self.maximum)
        # Jitter only spreads retries out; not security-relevant.
        return random.uniform(ceiling / 2, ceiling) if self.jitter else ceiling  # noqa: S311


class BackgroundLoop(Component):
    """A component whose work runs in passes, in the background, for as long as the app runs.

    One pass at start, then one `interval` seconds after each, or as soon as `wake()` is called
    (from any thread: after a commit in a worker thread, say). A subclass writes `run_once`:
    it returns how long to wait before the next pass (None: the interval; 0: at once, more
    work is waiting), or raises when the pass failed. The loop outlives every failure: the next
    pass waits for the `backoff` (the interval without one), the first failure of a run and the
    recovery are logged once each, and `health()` (unless a subclass reports its own) is down
    while passes fail.

    `stop()` cancels the pass under way. With a `grace_period`, it first lets the loop end its
    pass and run `finish()` (e.g. to drain what is left) for up to that many seconds.

    >>> class CommandTimeouts(BackgroundLoop):
    ...     name = "command-timeouts"
    ...     async def run_once(self) -> None:
    ...         await database.transaction(time_out_overdue_commands)
    >>> create_app(settings, components=[database, CommandTimeouts(interval=1.0)])
    """

    log: logging.Logger = tagged_logger("APP")
    """Where failures and recoveries are logged; a subclass names its own (`tagged_logger`)."""

    def __init__(
        self, *, interval: float, backoff: Backoff | None = None, grace_period: float = 0.0
    ) -> None:
        self.interval = interval
        self.backoff = backoff
        self.grace_period = grace_period
        # time.monotonic() of the last pass that went through, and of the first failed pass
        # of the current run of failures (None: passes go through); the last error meanwhile.
        self.last_success: float | None = None
        self.failing_since: float | None = None
        self.failure: str | None = None
        self._failures = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> float | None:
        """One pass of the work; returns the seconds until the next (None: the interval)."""
        raise NotImplementedError

    async def finish(self) -> None:
        """Runs after the last pass when the loop stops within its grace period."""

    async def start(self) -> None:
        self.begin()

    def begin(self, *, first_pass_after: float | None = 0.0) -> None:
        """Start the loop; its first pass runs after `first_pass_after` seconds (None: the
        interval), or when woken. For a component whose `start` did the first pass itself."""
        self._event_loop = asyncio.get_running_loop()
        self._wake, self._stopping = asyncio.Event(), False
        self._task = asyncio.create_task(self._run(first_pass_after), name=self.name)

    async def stop(self) -> None:
        task, self._task, self._event_loop = self._task, None, None
        if task is None:
            return
        if self.grace_period > 0:
            self._stopping = True
            self._wake.set()
            done, _ = await asyncio.wait({task}, timeout=self.grace_period)
            if done:
                return
            self.log.warning("%s still busy after %gs; cancelled", self.name, self.grace_period)
        await cancel(task)

    def wake(self) -> None:
        """Run the next pass now rather than after the wait. Safe from any thread; before
        start or after stop, nothing happens."""
        event_loop = self._event_loop
        if event_loop is None or self._wake.is_set():
            # Already woken: the flag is cleared only just before a pass, which then sees what
            # the caller did before calling. Saves a hand-over per commit under load.
            return
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:  # a worker thread
            here = None
        if here is event_loop:
            self._wake.set()
        else:
            event_loop.call_soon_threadsafe(self._wake.set)

    @property
    def woken(self) -> bool:
        """Whether `wake()` was called during the pass under way: the next one runs at once."""
        return self._wake.is_set()

    def health(self) -> Health:
        return self.loop_health()

    def loop_health(self, **info: Any) -> Health:
        """Down with the last error while passes fail, up otherwise; `info` added either way."""
        now = time.monotonic()
        if self.last_success is not None:
            info["last_success_seconds_ago"] = round(now - self.last_success, 1)
        if self.failing_since is not None:
            info["failing_for_seconds"] = round(now - self.failing_since, 1)
            return Health.down(self.failure or "failing", **info)
        return Health.up(**info)

    async def _run(self, first_pass_after: float | None) -> None:
        await self._pause(self.interval if first_pass_after is None else first_pass_after)
        while not self._stopping:
            try:
                wait = await self.run_once()
            except Exception as exc:  # the loop must outlive any one failure
                wait = self._failed(exc)
            else:
                self._succeeded()
            await self._pause(self.interval if wait is None else wait)
        await self.finish()

    def _failed(self, exc: Exception) -> float:
        self._failures += 1
        self.failure = f"{type(exc).__name__}: {exc}"
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            self.log.warning("%s failed, retrying: %r", self.name, exc)
        return self.backoff.pause(self._failures) if self.backoff else self.interval

    def _succeeded(self) -> None:
        if self.failing_since is not None:
            self.log.info("%s works again after %d failed pass(es)", self.name, self._failures)
        self.failing_since, self.failure, self._failures = None, None, 0
        self.last_success = time.monotonic()

    async def _pause(self, seconds: float) -> None:
        if seconds <= 0 or self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()
