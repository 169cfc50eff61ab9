"""The circuit breaker: opens after consecutive failures, fails fast, probes, closes again."""

from __future__ import annotations

import asyncio
import logging

import pytest

from chassis.http import DownstreamClient, DownstreamError, DownstreamUnavailable
from chassis.http.tests.downstreams import ClientFactory, sample
from chassis.testing import FlakyServer


async def _fail_calls(client: DownstreamClient, times: int) -> None:
    for _ in range(times):
        with pytest.raises(DownstreamError):
            await client.get("/v1/things")


async def test_opens_after_fail_max_consecutive_failures(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=3)
    flaky_server.fail(500, times=10)

    await _fail_calls(client, 2)
    assert client.breaker.state == "closed"
    await _fail_calls(client, 1)

    assert client.breaker.state == "open"


async def test_open_breaker_fails_fast_without_touching_the_server(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=2, breaker_reset_timeout=30)
    flaky_server.fail(500, times=10)
    await _fail_calls(client, 2)

    with pytest.raises(DownstreamUnavailable) as raised:
        await client.get("/v1/things")

    assert len(flaky_server.requests) == 2
    assert 29 <= (raised.value.retry_after or 0) <= 30


async def test_retries_stop_as_soon_as_the_breaker_opens(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=5, breaker_fail_max=2)
    flaky_server.fail(503, times=10)

    with pytest.raises(DownstreamUnavailable, match="circuit breaker open"):
        await client.get("/v1/things")

    assert len(flaky_server.requests) == 2


async def test_client_errors_do_not_count_towards_opening(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=2)
    flaky_server.fail(404, times=5)

    await _fail_calls(client, 5)

    assert client.breaker.state == "closed"


async def test_half_open_probe_closes_the_breaker_once_the_server_is_back(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=2, breaker_reset_timeout=0.5)
    flaky_server.stop()
    await _fail_calls(client, 2)
    assert client.breaker.state == "open"
    flaky_server.start()  # same port

    await asyncio.sleep(0.6)
    assert client.breaker.state == "half-open"
    response = await client.get("/v1/things")

    assert response.status_code == 200
    assert client.breaker.state == "closed"
    assert len(flaky_server.requests) == 1


async def test_failed_probe_opens_the_breaker_again(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=2, breaker_reset_timeout=0.3)
    flaky_server.fail(500, times=3)
    await _fail_calls(client, 2)

    await asyncio.sleep(0.4)
    await _fail_calls(client, 1)

    assert client.breaker.state == "open"
    assert len(flaky_server.requests) == 3


async def test_only_one_probe_goes_through_a_half_open_breaker(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=1, breaker_reset_timeout=0.2)
    flaky_server.fail(500, times=1)
    await _fail_calls(client, 1)
    await asyncio.sleep(0.3)
    flaky_server.stall(0.3)

    results = await asyncio.gather(
        *(client.get("/v1/things") for _ in range(3)), return_exceptions=True
    )

    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert sum(isinstance(r, DownstreamUnavailable) for r in results) == 2
    assert len(flaky_server.requests) == 2


async def test_state_and_transitions_show_in_metrics(
    flaky_server: FlakyServer, make_client: ClientFactory
) -> None:
    client = await make_client(max_attempts=1, breaker_fail_max=1)
    labels = {"downstream": client.name}
    assert sample("fleet_circuit_breaker_state", labels) == 0
    flaky_server.fail(500)

    await _fail_calls(client, 1)

    assert sample("fleet_circuit_breaker_state", labels) == 2
    opened = {"downstream": client.name, "to": "open"}
    assert sample("fleet_circuit_breaker_transitions_total", opened) == 1


async def test_retries_transitions_and_final_failures_are_logged(
    flaky_server: FlakyServer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="fleet.http")
    client = await make_client(max_attempts=2, breaker_fail_max=2)
    flaky_server.fail(503, times=2)

    with pytest.raises(DownstreamUnavailable):
        await client.get("/v1/things")

    messages = [r.getMessage() for r in caplog.records if r.name == "fleet.http"]
    assert any("retry 1 in" in m for m in messages)
    assert any("closed -> open" in m for m in messages)
    assert any("failed: " in m for m in messages)
