"""How long to wait before restarting a crashed service."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RestartBackoff:
    """Exponential: 1 s, 2 s, 4 s ... up to `maximum`; a service that stayed up for
    `stable_after` seconds starts again from `initial`, so one crash a day costs 1 s, not 30."""

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 30.0
    stable_after: float = 60.0
    _crashes: int = 0

    def next_delay(self, uptime: float) -> float:
        """The wait before the next start, given how long the last run lasted."""
        if uptime >= self.stable_after:
            self._crashes = 0
        delay = min(self.maximum, self.initial * self.factor**self._crashes)
        self._crashes += 1
        return delay

    def reset(self) -> None:
        """Forget the crashes: the next one waits `initial` again."""
        self._crashes = 0

    @property
    def crashes(self) -> int:
        """Crashes in a row (since the last run that stayed up for `stable_after`)."""
        return self._crashes
