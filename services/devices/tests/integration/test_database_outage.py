"""The devices database stopped under load: ingestion pauses (readiness says why), the HTTP API
answers 503, and both resume by themselves when the database is back, losing nothing."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from chassis.db import DatabaseSettings, create_engine
from chassis.testing import Mosquitto, PrivatePostgres
from devices.tests.integration.conftest import (
    DevicesApps,
    device_bus,
    register,
    stored,
    until,
)

RATE = 200  # readings per second, as the fault run that found the stall
RESUME_WITHIN = 10.0


async def _stream(publish: Callable[..., Awaitable[None]], topic: str, total: int) -> None:
    for n in range(total):
        await publish(topic, json.dumps({"ts": 1_717_243_200 + n, "metrics": {"n": n}}).encode())
        if n % 20 == 19:
            await asyncio.sleep(20 / RATE)


async def _ready(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/health/ready")


@pytest.mark.parametrize("outage", [10.0, 60.0], ids=["10s", "60s"])
async def test_ingestion_pauses_while_the_database_is_down_and_resumes_losing_nothing(
    outage: float,
    apps: DevicesApps,
    private_postgres: PrivatePostgres,
    fleet_broker: Mosquitto,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
) -> None:
    url = fleet_broker.address.url
    settings = apps.settings(database={"url": private_postgres.url}, mqtt={"url": url})
    engine = create_engine(DatabaseSettings(url=private_postgres.url))
    total = int(RATE * (outage + 10))
    try:
        async with apps.serving(settings) as client, device_bus(url, mqtt_client_id) as sim:
            device = await register(client, operator_headers)
            topic = f"{mqtt_namespace}/fleet/devices/{device}/telemetry"
            publishing = asyncio.create_task(_stream(sim.publish, topic, total))
            await until(lambda: stored(engine, device) >= RATE)
            engine.dispose()
            private_postgres.stop()
            stopped_at = time.monotonic()

            # Readiness turns not-ready, and says the ingestion is paused and why.
            async def paused() -> bool:
                body = (await _ready(client)).json()
                mqtt = body["dependencies"]["mqtt"]
                return body["status"] == "not_ready" and "paused" in (mqtt["detail"] or "")

            async with asyncio.timeout(outage):
                for _ in itertools.count():
                    if await paused():
                        break
                    await asyncio.sleep(0.1)
            answer = await client.get("/v1/devices", headers=operator_headers)
            assert answer.status_code == 503
            assert answer.headers["content-type"] == "application/problem+json"
            assert "retry-after" in answer.headers

            await asyncio.sleep(max(0.0, outage - (time.monotonic() - stopped_at)))
            private_postgres.start()
            back_at = time.monotonic()
            before = stored(engine, device)  # what was stored before the outage
            await until(lambda: stored(engine, device) > before, within=RESUME_WITHIN)
            resumed_after = time.monotonic() - back_at
            await publishing
            await until(lambda: stored(engine, device) >= total, within=60)
            # Readiness answers from a result at most `database.health_cache` (2 s) old and
            # refreshes it behind the answer: ready again within a few seconds.
            async with asyncio.timeout(5):
                for _ in itertools.count():
                    if (await _ready(client)).status_code == 200:
                        break
                    await asyncio.sleep(0.2)
            assert (await client.get("/v1/devices", headers=operator_headers)).status_code == 200
            final = stored(engine, device)
    finally:
        engine.dispose()
    print(f"outage {outage:g}s: resumed {resumed_after:.2f}s after the database returned; "
          f"{final}/{total} stored")  # fmt: skip
    assert final == total  # nothing lost, nothing twice (the key would have dropped a repeat)
    assert resumed_after < RESUME_WITHIN


async def test_a_devices_route_answers_503_with_retry_after_while_the_database_is_down(
    apps: DevicesApps,
    private_postgres: PrivatePostgres,
    operator_headers: dict[str, str],
) -> None:
    async with apps.serving(database={"url": private_postgres.url}) as client:
        device = await register(client, operator_headers)
        private_postgres.stop()
        response = await client.get(f"/v1/devices/{device}", headers=operator_headers)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) > 0
        assert response.json()["type"] == "urn:fleet:problem:database-unavailable"
        private_postgres.start()
        healed = await client.get(f"/v1/devices/{device}", headers=operator_headers)
        assert healed.status_code == 200
