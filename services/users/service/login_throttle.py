"""Failed-login limits per username and per client address (a sliding window, in process).

In process on purpose: it needs no shared store, and one replica sees every attempt in the local
fleet. With N replicas behind a balancer an attacker gets up to N times the budget; a shared
store (PostgreSQL or Redis) behind the same interface would close that gap.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable

from users.service.errors import TooManyAttempts


class LoginThrottle:
    def __init__(
        self,
        *,
        max_failures: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def check(self, keys: Iterable[str]) -> None:
        """Raise TooManyAttempts if any key used up its failures within the window."""
        now = self._clock()
        wait = 0.0
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) >= self.max_failures:
                wait = max(wait, failures[0] + self.window - now)
        if wait > 0:
            raise TooManyAttempts(retry_after=max(1, math.ceil(wait)))

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        for key in keys:
            self._recent(key, now).append(now)

    def forget(self, key: str) -> None:
        """A successful login clears its username's failures (the address keeps its own)."""
        self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if len(self._failures) > 100_000:  # bound memory under a spray of random usernames
            self._prune(now)
        return failures

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= now - self.window]:
            del self._failures[key]
