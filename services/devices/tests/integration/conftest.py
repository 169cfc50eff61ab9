"""The devices app on the test database and broker (chassis `service_apps`), under a topic
namespace of its own."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from chassis.mqtt import Bus, MqttSettings
from chassis.testing import Mosquitto, ServiceApps, ServiceAppsFactory, TokenIssuer
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)
from devices.main import build
from devices.settings import DevicesSettings

DevicesApps = ServiceApps[DevicesSettings]


@pytest.fixture
def apps(service_apps: ServiceAppsFactory, mqtt_namespace: str) -> DevicesApps:
    """Devices apps listening under this test's topic namespace. Alarms are emptied after each
    test: one left without its task would be opened by the next test's alarm-task loop."""
    return service_apps(
        build,
        DevicesSettings,
        empty_tables=("alarms",),
        mqtt={
            "session_expiry": 60,
            "retry_delay": 0.01,
            "reconnect_max_delay": 1,
            "dlq_topic": f"{mqtt_namespace}/fleet/dlq/devices",
        },
        ingest={"topic_prefix": f"{mqtt_namespace}/", "max_delay": 0.02},
    )


@pytest.fixture
def fleet_broker() -> Iterator[Mosquitto]:
    """A private Mosquitto with the fleet's own limits (1,000 in flight, 2,000,000 queued): the
    shared test broker has Debian's (20 and 1,000), and drops a burst past them."""
    if shutil.which("mosquitto") is None and not os.path.exists("/usr/sbin/mosquitto"):
        pytest.skip("needs mosquitto (apt-get install mosquitto)")
    broker = Mosquitto()
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def operator_headers(token_issuer: TokenIssuer) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issuer.mint('7', role='operator')}"}


@asynccontextmanager
async def device_bus(
    url: str, client_id: str, handlers: dict[str, Any] | None = None
) -> AsyncIterator[Bus]:
    """A bus playing the devices (and listening where a test wants to)."""
    settings = MqttSettings(url=url, client_id=client_id, session_expiry=0, reconnect_max_delay=1)
    bus = Bus(settings, service="sim", handlers=handlers)
    await bus.start()
    try:
        await bus.wait_connected(10)
        yield bus
    finally:
        await bus.stop()


async def register(client: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> str:
    body = {"name": "pump", "kind": "pump", "site": "north"} | fields
    response = await client.post("/v1/devices", json=body, headers=headers)
    assert response.status_code == 201, response.text
    device_id: str = response.json()["id"]
    return device_id


def stored(engine: sa.Engine, device_id: str | int) -> int:
    with engine.connect() as conn:
        query = sa.text("SELECT count(*) FROM readings WHERE device_id = :d")
        return int(conn.execute(query, {"d": int(device_id)}).scalar_one())


async def until(condition: Callable[[], bool], within: float = 15.0) -> None:
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.05)


async def until_stored(engine: sa.Engine, device_id: str, count: int, within: float = 20) -> None:
    await until(lambda: stored(engine, device_id) >= count, within)


async def until_online(
    client: httpx.AsyncClient, device_id: str, headers: dict[str, str], within: float = 10
) -> None:
    async with asyncio.timeout(within):
        for _ in itertools.count():
            got = await client.get(f"/v1/devices/{device_id}", headers=headers)
            if got.json()["online"]:
                return
            await asyncio.sleep(0.05)
