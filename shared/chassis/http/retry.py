"""When a call to a downstream is tried again, and how long to pause in between.

Only calls that are safe to repeat are retried: idempotent methods, or any request carrying an
Idempotency-Key (the downstream deduplicates it). Only transient trouble is retried: connect
errors, timeouts, dropped connections, 502/503/504 and 429. Pauses grow exponentially with jitter,
stretch to honour a Retry-After header (up to a cap), and never run past the call's deadline.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from chassis.http.settings import DownstreamSettings

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
IDEMPOTENCY_KEY = "Idempotency-Key"
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# TimeoutError: the call's deadline cut an attempt short (asyncio.timeout).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    TimeoutError,
)


class RetryableStatus(Exception):
    """A response worth another attempt (502/503/504/429), with its Retry-After in seconds."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"answered {response.status_code}")
        self.response = response
        self.retry_after = retry_after_seconds(response.headers.get("Retry-After"))


def may_retry(method: str, headers: httpx.Headers) -> bool:
    """Whether repeating the request cannot do its effect twice."""
    return method.upper() in IDEMPOTENT_METHODS or IDEMPOTENCY_KEY in headers


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    seconds = value.strip()
    if seconds.isascii() and seconds.isdigit():
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retrying(
    settings: DownstreamSettings,
    *,
    repeatable: bool,
    before_sleep: Callable[[RetryCallState], None],
) -> AsyncRetrying:
    """The retry loop of one call: `async for attempt in retrying(...): with attempt: ...`."""
    attempts = settings.max_attempts if repeatable else 1
    return AsyncRetrying(
        retry=retry_if_exception_type((RetryableStatus, *TRANSIENT_ERRORS)),
        # stop_before_delay: give up rather than start a pause that would end past the deadline.
        stop=stop_after_attempt(attempts) | stop_before_delay(settings.deadline),
        wait=_pause(settings),
        before_sleep=before_sleep,
        reraise=True,
    )


def _pause(settings: DownstreamSettings) -> Callable[[RetryCallState], float]:
    backoff = wait_exponential_jitter(
        multiplier=settings.backoff_initial,
        max=settings.backoff_max,
        jitter=settings.backoff_jitter,
    )

    def pause(state: RetryCallState) -> float:
        seconds = backoff(state)
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, RetryableStatus) and failure.retry_after is not None:
            # The downstream knows when it will have room again; wait at least that long, but
            # never longer than the cap (a bad header must not park our caller for minutes).
            seconds = max(seconds, min(failure.retry_after, settings.retry_after_max))
        return seconds

    return pause


def deadline_after(seconds: float) -> float:
    """The monotonic time `seconds` from now."""
    return time.monotonic() + seconds


def whole_seconds(seconds: float | None) -> int | None:
    """Seconds rounded up for a Retry-After header (never 0: "now" would invite a hot loop)."""
    return None if seconds is None else max(1, math.ceil(seconds))
