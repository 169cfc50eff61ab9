"""A circuit breaker per downstream: pybreaker's state machine, driven around awaited attempts.

pybreaker's own async support (`call_async`) runs on tornado coroutines, which Fleet does not use.
Its synchronous `calling()` context manager is enough: it checks the state on entry (raising
CircuitBreakerError when open) and records success or failure on exit, taking its thread lock only
for those two moments, never across the `await` between them. Every attempt runs on the one event
loop that owns the client, so no two of them interleave inside pybreaker's bookkeeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pybreaker

from chassis.http.errors import DownstreamUnavailable
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.metrics.families import BREAKER_STATES

_log = tagged_logger("HTTP")

CLOSED, OPEN, HALF_OPEN = pybreaker.STATE_CLOSED, pybreaker.STATE_OPEN, pybreaker.STATE_HALF_OPEN


class Breaker:
    """Opens after `fail_max` consecutive failed attempts; fails fast for `reset_timeout`
    seconds; then lets one probe through, which closes it on success or reopens it on failure.
    """

    def __init__(self, downstream: str, *, fail_max: int, reset_timeout: float) -> None:
        self.downstream = downstream
        self.reset_timeout = reset_timeout
        self.last_failure: str | None = None
        self._opened_at = 0.0  # monotonic; pybreaker's own opened_at is wall-clock
        self._probing = False
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_timeout,
            name=downstream,
            listeners=[_Transitions(self)],
            # The attempt that trips the breaker raises its own error (a 503, a timeout), so the
            # caller learns what went wrong; only the calls refused afterwards say "open".
            throw_new_error_on_trip=False,
        )

    @property
    def state(self) -> str:
        """closed, open or half-open. pybreaker stays "open" until a call arrives after the reset
        timeout; this reads half-open as soon as that call would be let through as a probe."""
        state = self._breaker.current_state
        if state == OPEN and self.retry_after() == 0:
            return HALF_OPEN
        return str(state)

    def retry_after(self) -> int:
        """Whole seconds until an open breaker lets a probe through (0 when closed, or when it
        would let one through now)."""
        if self._breaker.current_state != OPEN:
            return 0
        left = self._opened_at + self.reset_timeout - time.monotonic()
        return max(0, math.ceil(left))

    def publish(self) -> None:
        """Show the current state in metrics (a fresh process has no sample yet)."""
        fleet_metrics().breaker_state.labels(self.downstream).set(BREAKER_STATES[self.state])

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Run one attempt under the breaker; an exception leaving the block is a failure.

        Raises DownstreamUnavailable at once, without running the block, while the breaker is
        open or while another call is already probing a half-open one (one probe, not a herd).
        """
        if self._probing:
            raise self._unavailable("circuit breaker half-open, a probe is in flight")
        probe = self._breaker.current_state != CLOSED
        self._probing = probe
        try:
            with self._breaker.calling():
                yield
        except pybreaker.CircuitBreakerError:
            raise self._unavailable("circuit breaker open") from None
        finally:
            if probe:
                self._probing = False

    def _unavailable(self, reason: str) -> DownstreamUnavailable:
        detail = f"{reason} after repeated failures (last: {self.last_failure})"
        return DownstreamUnavailable(
            self.downstream, detail, retry_after=max(1, self.retry_after())
        )

    def _moved(self, old: str | None, new: str) -> None:
        if new == OPEN:
            self._opened_at = time.monotonic()
            _log.warning(
                "%s circuit breaker %s -> open (last failure: %s); failing fast for %gs",
                self.downstream,
                old,
                self.last_failure,
                self.reset_timeout,
            )
        else:
            _log.info("%s circuit breaker %s -> %s", self.downstream, old, new)
        metrics = fleet_metrics()
        metrics.breaker_state.labels(self.downstream).set(BREAKER_STATES[new])
        metrics.breaker_transitions.labels(self.downstream, new).inc()


class _Transitions(pybreaker.CircuitBreakerListener):
    """Feeds pybreaker's events to the Breaker: its last failure, its state changes."""

    def __init__(self, owner: Breaker) -> None:
        self._owner = owner

    def failure(self, cb: pybreaker.CircuitBreaker, exc: BaseException) -> None:
        self._owner.last_failure = describe(exc)

    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        self._owner._moved(old_state.name if old_state else None, new_state.name)


def describe(exc: BaseException) -> str:
    """A short reason for logs and health: `ConnectError: [Errno 111] Connection refused`."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
