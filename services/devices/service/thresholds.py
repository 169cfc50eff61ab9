"""Thresholds with hysteresis: a metric raises past its limit and re-arms only past its clear.

>>> temperature = Threshold(high=80, high_clear=75)
>>> temperature.breach(81.0)          # 80.0: the limit crossed
>>> temperature.cleared(77.0)         # False: still between clear and limit, no flapping
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """Limits of one metric. `high_clear` defaults to `high`, `low_clear` to `low`."""

    high: float | None = None
    high_clear: float | None = None
    low: float | None = None
    low_clear: float | None = None

    def __post_init__(self) -> None:
        if self.high is None and self.low is None:
            raise ValueError("a threshold needs high, low, or both")
        if self.high is not None and self.high_clear is not None and self.high_clear > self.high:
            raise ValueError("high_clear must not be above high")
        if self.low is not None and self.low_clear is not None and self.low_clear < self.low:
            raise ValueError("low_clear must not be below low")
        if self.high is not None and self.low is not None and self.low >= self.high:
            raise ValueError("low must be below high")

    def breach(self, value: float) -> float | None:
        """The limit `value` crosses, or None."""
        if self.high is not None and value >= self.high:
            return self.high
        if self.low is not None and value <= self.low:
            return self.low
        return None

    def cleared(self, value: float) -> bool:
        """Whether `value` is back inside the clear levels (the metric may alarm again)."""
        high_clear = self.high_clear if self.high_clear is not None else self.high
        low_clear = self.low_clear if self.low_clear is not None else self.low
        below = high_clear is None or value <= high_clear
        above = low_clear is None or value >= low_clear
        return below and above
