"""Settings with timings short enough to keep resilience tests fast, and metric readings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import REGISTRY

from chassis.http import DownstreamClient, DownstreamSettings

FAST: dict[str, Any] = {
    "connect_timeout": 0.5,
    "read_timeout": 1.0,
    "max_attempts": 3,
    "backoff_initial": 0.05,
    "backoff_max": 0.5,
    "backoff_jitter": 0.01,
    "retry_after_max": 2.0,
    "deadline": 5.0,
    "breaker_fail_max": 5,
    "breaker_reset_timeout": 30.0,
}

ClientFactory = Callable[..., Awaitable[DownstreamClient]]


def fast_settings(url: str, **overrides: Any) -> DownstreamSettings:
    return DownstreamSettings(base_url=url, **{**FAST, **overrides})


def sample(name: str, labels: dict[str, str]) -> float:
    """A metric's current value (0 when never set)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0
