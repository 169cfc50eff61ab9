"""Which calls are retried, how often, and how long the client pauses in between."""

from __future__ import annotations

import time

import pytest

from chassis.http import DownstreamError, DownstreamUnavailable
from chassis.http.tests.downstreams import ClientFactory, sample
from chassis.testing import FlakyServer


async def test_retries_until_the_server_recovers_with_growing_pauses(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=3, backoff_initial=0.2, backoff_jitter=0.05)
    flaky_server.fail(503, times=2)

    response = await client.get("/v1/things")

    assert response.status_code == 200
    assert len(flaky_server.requests) == 3
    first, second = flaky_server.gaps()
    assert 0.2 <= first < 0.4  # 0.2 x 2^0 + jitter
    assert 0.4 <= second < 0.6  # 0.2 x 2^1 + jitter
    assert sample("fleet_http_client_retries_total", {"downstream": client.name}) == 2


async def test_gives_up_after_max_attempts_as_unavailable(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=3)
    flaky_server.fail(502, times=10)

    with pytest.raises(DownstreamUnavailable) as raised:
        await client.get("/v1/things")

    assert raised.value.status == 502
    assert len(flaky_server.requests) == 3


async def test_post_without_idempotency_key_is_not_retried(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    flaky_server.fail(503, times=1)

    with pytest.raises(DownstreamUnavailable):
        await client.post("/v1/tasks", json={"title": "Fix pump"})

    assert len(flaky_server.requests) == 1


async def test_post_with_idempotency_key_is_retried_with_the_same_key(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    flaky_server.fail(503, times=1)

    response = await client.post("/v1/tasks", json={"title": "Fix pump"}, idempotency_key="k-42")

    assert response.status_code == 200
    assert [r.headers["idempotency-key"] for r in flaky_server.requests] == ["k-42", "k-42"]


async def test_client_errors_are_raised_at_once_without_retry(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    flaky_server.fail(404, times=3)

    with pytest.raises(DownstreamError) as raised:
        await client.get("/v1/users/{id}", id=7)

    assert not isinstance(raised.value, DownstreamUnavailable)
    assert raised.value.status == 404
    assert len(flaky_server.requests) == 1


async def test_429_retry_after_is_honoured(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(backoff_initial=0.01)
    flaky_server.fail(429, times=1, retry_after=1)

    response = await client.get("/v1/things")

    assert response.status_code == 200
    (gap,) = flaky_server.gaps()
    assert 1.0 <= gap < 1.5


async def test_retry_after_longer_than_the_cap_waits_only_the_cap(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(backoff_initial=0.01, retry_after_max=0.3)
    flaky_server.fail(503, times=1, retry_after=120)

    await client.get("/v1/things")

    (gap,) = flaky_server.gaps()
    assert 0.3 <= gap < 0.8


async def test_timeouts_are_retried(flaky_server: FlakyServer, make_client: ClientFactory) -> None:
    client = await make_client(read_timeout=0.2)
    flaky_server.stall(2.0, times=1)

    response = await client.get("/v1/things")

    assert response.status_code == 200
    assert len(flaky_server.requests) == 2


async def test_dropped_connections_are_retried(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client()
    flaky_server.drop(times=2)

    response = await client.get("/v1/things")

    assert response.status_code == 200
    assert len(flaky_server.requests) == 3


async def test_connect_errors_are_retried_then_reported_unavailable(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=3)
    flaky_server.stop()

    with pytest.raises(DownstreamUnavailable, match="ConnectError"):
        await client.get("/v1/things")

    assert sample("fleet_http_client_retries_total", {"downstream": client.name}) == 2


async def test_overall_deadline_bounds_attempts_and_pauses(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(read_timeout=2.0, max_attempts=10, deadline=0.6)
    flaky_server.stall(5.0, times=10)

    started = time.monotonic()
    with pytest.raises(DownstreamUnavailable):
        await client.get("/v1/things")

    assert time.monotonic() - started < 0.9
    assert len(flaky_server.requests) == 1
