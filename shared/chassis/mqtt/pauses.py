"""Which subscriptions are paused on a dependency that is down, and why (for /health/ready).

A handler failing on a transient error (the database down, its pool exhausted, a neighbour
unreachable) keeps its message unacknowledged and tries again with backoff; while any worker
of a subscription does so, the subscription counts as paused. One log line when it pauses,
one when it resumes: not one per retry of each of a thousand workers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chassis.db.failures import database_unavailable
from chassis.http.errors import DownstreamUnavailable
from chassis.logging import tagged_logger

_log = tagged_logger("MQTT")


def is_transient(exc: BaseException) -> bool:
    """Whether `exc` says a dependency is unavailable (worth waiting for), not that the
    message or the handler is wrong."""
    return isinstance(exc, ConnectionError | TimeoutError | DownstreamUnavailable) or (
        database_unavailable(exc)
    )


@dataclass
class _Pause:
    reason: str
    since: float
    workers: int = 0


class Pauses:
    def __init__(self) -> None:
        self._paused: dict[str, _Pause] = {}

    def enter(self, subscription: str, error: BaseException) -> None:
        """A worker of `subscription` waits to try its message again after `error`."""
        reason = _first_line(error)
        pause = self._paused.get(subscription)
        if pause is None:
            pause = self._paused[subscription] = _Pause(reason, time.monotonic())
            _log.warning("%s paused: %s; retrying with backoff", subscription, reason)
        pause.reason = reason
        pause.workers += 1

    def leave(self, subscription: str) -> None:
        """A worker that entered is done waiting (its message went through, or it stopped)."""
        pause = self._paused.get(subscription)
        if pause is None:
            return
        pause.workers -= 1
        if pause.workers <= 0:
            del self._paused[subscription]
            waited = time.monotonic() - pause.since
            _log.info("%s resumed after %.1fs", subscription, waited)

    def describe(self) -> str | None:
        """Why consumption is paused, or None when it is not."""
        if not self._paused:
            return None
        now = time.monotonic()
        return "; ".join(
            f"{name} paused for {now - p.since:.0f}s: {p.reason}"
            for name, p in self._paused.items()
        )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"
