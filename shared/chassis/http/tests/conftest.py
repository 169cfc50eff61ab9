"""Clients aimed at the test's FlakyServer, with timings short enough to keep tests fast."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY

from chassis.http import DownstreamClient, DownstreamSettings, TokenProvider
from chassis.testing import FlakyServer

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


@pytest.fixture
async def make_client(flaky_server: FlakyServer) -> AsyncIterator[ClientFactory]:
    """Started clients of the flaky server, each with a downstream name of its own (so metrics
    of parallel tests never mix); stopped after the test."""
    clients: list[DownstreamClient] = []

    async def make(
        token_provider: TokenProvider | None = None, **overrides: Any
    ) -> DownstreamClient:
        name = f"test-{uuid.uuid4().hex[:8]}"
        client = DownstreamClient(
            name, fast_settings(flaky_server.url, **overrides), token_provider=token_provider
        )
        await client.start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.stop()
