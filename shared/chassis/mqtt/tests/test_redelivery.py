"""Nothing is lost: unacked messages come back, and a broker restart heals by itself."""

import asyncio
from collections.abc import Iterator

import pytest

from chassis.local.broker import PrivateBroker, _find_mosquitto
from chassis.mqtt import Bus, Delivery
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running, until
from chassis.testing import Mosquitto
from chassis.tests.messages import Reading

_READING = b'{"ts": 1717243200, "metrics": {"temp": 1}}'


def _reading(n: int) -> bytes:
    return b'{"ts": 1717243200, "metrics": {"n": %d}}' % n


@pytest.fixture
def persistent_broker() -> Iterator[Mosquitto]:
    """A Mosquitto that keeps sessions across stop()/start(), as production brokers do."""
    if _find_mosquitto() is None:
        pytest.skip("needs mosquitto (apt-get install mosquitto)")
    broker = Mosquitto(persistent=True)
    broker.start()
    yield broker
    broker.stop()


async def test_a_message_held_by_a_paused_handler_is_redelivered_after_a_restart(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    failed, handled = Inbox(), Inbox()

    async def database_down(reading: Reading) -> None:
        failed.add(reading)
        raise ConnectionError("database went away")

    async def commit(reading: Reading, delivery: Delivery) -> None:
        handled.add(delivery.redelivered)

    topic = f"{mqtt_namespace}/t"
    settings = mqtt_settings(stop_timeout=0.2)  # one client id: the same persistent session
    producer = Bus(mqtt_settings(), service="sim")
    async with running(producer):
        async with running(Bus(settings, service="devices", handlers={topic: database_down})):
            await producer.publish(topic, _READING)
            await failed.wait_for(2)  # still trying when the service stops: left unacked
        async with running(Bus(settings, service="devices", handlers={topic: commit})):
            assert await handled.wait_for(1) == [True]


async def test_after_a_broker_restart_the_bus_reconnects_and_subscribes_again(
    mqtt_settings: SettingsFactory, private_broker: PrivateBroker, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading) -> None:
        inbox.add(reading)

    url = private_broker.address.url  # its sessions die with it: only a new SUBSCRIBE helps
    consumer = Bus(mqtt_settings(url=url), service="devices", handlers={"t/+": on_reading})
    producer = Bus(mqtt_settings(url=url), service="sim")
    async with running(consumer), running(producer):
        private_broker.stop()
        await until(lambda: not consumer.connected)
        assert consumer.health().status == "down"
        private_broker.start()
        await asyncio.gather(consumer.wait_connected(10), producer.wait_connected(10))
        await producer.publish("t/1", _READING)
        await inbox.wait_for(1)
        assert consumer.health().status == "up"


async def test_qos1_messages_published_while_the_broker_is_down_all_arrive(
    mqtt_settings: SettingsFactory, persistent_broker: Mosquitto
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading) -> None:
        inbox.add(reading.metrics["n"])

    url = persistent_broker.address.url
    # The consumer comes back last: the messages wait in its session, kept by the broker.
    late = mqtt_settings(url=url, reconnect_min_delay=2)
    consumer = Bus(late, service="devices", handlers={"t/+": on_reading})
    producer = Bus(mqtt_settings(url=url), service="sim")
    async with running(consumer), running(producer):
        await producer.publish("t/1", _reading(0))
        await inbox.wait_for(1)
        persistent_broker.stop()
        await until(lambda: not (consumer.connected or producer.connected))
        # The publisher queues them; each publish returns only once the broker has it.
        sends = [asyncio.create_task(producer.publish("t/1", _reading(n))) for n in range(1, 51)]
        await asyncio.sleep(0.2)
        assert not any(send.done() for send in sends)
        persistent_broker.start()
        await asyncio.wait_for(asyncio.gather(*sends), 10)
        received = await inbox.wait_for(51)
    assert sorted(received) == list(range(51))
