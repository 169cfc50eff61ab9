"""A subscription with a connection of its own: routed apart, flow-controlled, stopped cleanly."""

import asyncio
from collections.abc import Awaitable, Callable

from chassis.mqtt import Bus, DedicatedConnection
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running

# 3.1.1 has no Receive Maximum: the broker sends what its own max_inflight_messages allows
# (20 by default, 1000 on the test broker), so only the bus's window can hold it to less.
# clean_start: a 3.1.1 session has no expiry and would stay on a shared broker for good.
_WINDOW = DedicatedConnection(protocol="3.1.1", window=5)


async def test_messages_reach_their_own_handlers_across_shared_and_dedicated_connections(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    def handler(name: str) -> Callable[[bytes], Awaitable[None]]:
        async def handle(payload: bytes) -> None:
            inbox.add((name, payload))

        return handle

    consumer = Bus(mqtt_settings(clean_start=True), service="devices")
    hot = f"{mqtt_namespace}/telemetry/+"  # first: the shared connection's are not its first
    consumer.subscribe(hot, handler("telemetry"), model=bytes, name="hot", dedicated=_WINDOW)
    consumer.subscribe(f"{mqtt_namespace}/acks", handler("acks"), model=bytes)
    consumer.subscribe(f"{mqtt_namespace}/status", handler("status"), model=bytes)
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        for topic in ("acks", "status", "telemetry/7"):
            await producer.publish(f"{mqtt_namespace}/{topic}", topic.encode())
        await inbox.wait_for(3)
        assert await inbox.stays_at(3)
    assert sorted(inbox.items) == [
        ("acks", b"acks"),
        ("status", b"status"),
        ("telemetry", b"telemetry/7"),
    ]


async def test_a_dedicated_connection_holds_no_more_messages_than_its_window(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    started, release = Inbox(), asyncio.Event()

    async def slow(payload: bytes) -> None:
        started.add(payload)
        await release.wait()

    consumer = Bus(mqtt_settings(clean_start=True), service="devices")
    topic = f"{mqtt_namespace}/telemetry"
    consumer.subscribe(topic, slow, model=bytes, concurrency=50, name="hot", dedicated=_WINDOW)
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        await asyncio.gather(*(producer.publish(topic, str(n).encode()) for n in range(60)))
        await started.wait_for(5)
        assert await started.stays_at(5, seconds=1.0)  # 50 handlers free, 5 messages held
        release.set()
        await started.wait_for(60)
    assert sorted(int(p) for p in started.items) == list(range(60))


async def test_a_bus_stops_while_its_dedicated_connection_waits_for_room(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    started = Inbox()

    async def stuck(payload: bytes) -> None:
        started.add(payload)
        await asyncio.Event().wait()

    consumer = Bus(mqtt_settings(clean_start=True, stop_timeout=0.2), service="devices")
    topic = f"{mqtt_namespace}/telemetry"
    consumer.subscribe(topic, stuck, model=bytes, concurrency=10, name="hot", dedicated=_WINDOW)
    producer = Bus(mqtt_settings(), service="sim")
    async with running(producer):
        await consumer.start()
        await consumer.wait_connected(10)
        await asyncio.gather(*(producer.publish(topic, b"x") for _ in range(20)))
        await started.wait_for(5)
        async with asyncio.timeout(10):  # the network thread, waiting for room, lets go
            await consumer.stop()
    assert consumer.health().status == "down"
