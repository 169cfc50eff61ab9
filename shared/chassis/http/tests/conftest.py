"""Clients aimed at the test's FlakyServer (see downstreams.py for their fast timings)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from chassis.http import DownstreamClient, TokenProvider
from chassis.http.tests.downstreams import ClientFactory, fast_settings
from chassis.testing import FlakyServer
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)


@pytest.fixture
async def make_client(flaky_server: FlakyServer) -> AsyncIterator[ClientFactory]:
    """Started clients of the flaky server, each with a downstream name of its own (so metrics
    of parallel tests never mix); stopped after the test."""
    clients: list[DownstreamClient] = []

    async def make(tokens: TokenProvider | None = None, **overrides: Any) -> DownstreamClient:
        settings = fast_settings(flaky_server.url, **overrides)
        client = DownstreamClient(f"test-{uuid.uuid4().hex[:8]}", settings, token_provider=tokens)
        await client.start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.stop()
