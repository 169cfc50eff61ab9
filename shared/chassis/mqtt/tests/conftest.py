"""Buses for the tests: real brokers, unique client ids and topics, quick reconnects."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from chassis.mqtt import Bus, MqttSettings
from chassis.testing import BrokerAddress
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)

SettingsFactory = Callable[..., MqttSettings]


@pytest.fixture
def mqtt_settings(mqtt_broker: BrokerAddress, mqtt_client_id: str) -> SettingsFactory:
    """Settings for a bus on the test broker; keyword overrides, e.g. `client_id=`."""
    counter = iter(range(1000))

    def make(**overrides: Any) -> MqttSettings:
        values: dict[str, Any] = {
            "url": mqtt_broker.url,
            "client_id": f"{mqtt_client_id}-{next(counter)}",
            "session_expiry": 60,  # leave nothing behind on a shared broker for long
            "retry_delay": 0.01,
            "reconnect_max_delay": 2,
        }
        return MqttSettings(**(values | overrides))

    return make


@asynccontextmanager
async def running(bus: Bus) -> AsyncIterator[Bus]:
    """Start `bus`, wait until it is subscribed, and stop it afterwards."""
    await bus.start()
    try:
        await bus.wait_connected(10)
        yield bus
    finally:
        await bus.stop()


class Inbox:
    """What a handler received, to await in a test."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._changed = asyncio.Event()

    def add(self, item: Any) -> None:
        self.items.append(item)
        self._changed.set()

    async def wait_for(self, count: int, within: float = 10.0) -> list[Any]:
        async with asyncio.timeout(within):
            while len(self.items) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.items

    async def stays_at(self, count: int, seconds: float = 0.5) -> bool:
        """Whether nothing beyond `count` items arrives within `seconds`."""
        await asyncio.sleep(seconds)
        return len(self.items) == count


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    """Poll `condition` until it holds; TimeoutError after `within` seconds."""
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.02)
