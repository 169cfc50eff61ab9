"""The pieces together: state change + event commit, the broker is down, nothing is lost."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator

import pytest
from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion

from chassis.db import Database, UnitOfWork
from chassis.metrics import fleet_metrics
from chassis.mqtt import Bus, MqttSettings
from chassis.outbox import OutboxRelay, OutboxSettings
from chassis.outbox.tests.conftest import Alarm
from chassis.testing import Mosquitto

TOPIC = "fleet/events/devices/device.alarm.raised"


@pytest.fixture
def broker() -> Iterator[Mosquitto]:
    # Persistent, like a production broker: the subscriber's session outlives the restart.
    broker = Mosquitto(persistent=True)
    broker.start()
    yield broker
    broker.stop()


class Subscriber:
    """A plain paho consumer with a persistent session, standing in for another service."""

    def __init__(self, broker: Mosquitto, client_id: str) -> None:
        self.received: queue.Queue[bytes] = queue.Queue()
        subscribed = threading.Event()
        self._client = Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
        self._client.on_connect = lambda c, *_: c.subscribe(TOPIC, qos=1)
        self._client.on_subscribe = lambda *_: subscribed.set()
        self._client.on_message = self._on_message
        self._client.reconnect_delay_set(1, 1)
        self._client.connect(broker.address.host, broker.address.port)
        self._client.loop_start()
        if not subscribed.wait(10):
            raise TimeoutError("no SUBACK")

    def _on_message(self, _client: Client, _userdata: object, message: MQTTMessage) -> None:
        self.received.put(bytes(message.payload))

    def close(self) -> None:
        self._client.loop_stop()
        self._client.disconnect()


async def test_events_committed_while_the_broker_is_down_are_delivered_when_it_returns(
    database: Database, broker: Mosquitto, mqtt_client_id: str
) -> None:
    subscriber = Subscriber(broker, f"{mqtt_client_id}-sub")
    bus = Bus(
        MqttSettings(url=broker.address.url, reconnect_min_delay=1, reconnect_max_delay=1),
        service="devices",
    )
    relay = OutboxRelay(
        database,
        bus.publish,
        OutboxSettings(poll_interval=0.05, publish_timeout=0.5, retry_initial=0.05, retry_max=0.2),
    )
    await bus.start()
    await relay.start()
    try:
        broker.stop()

        def raise_alarms(uow: UnitOfWork) -> None:
            for n in range(5):
                uow.session.add(Alarm(id=100 + n, device=f"pump-{n}"))
                uow.emit(TOPIC, f'{{"alarm": {100 + n}}}'.encode())
            uow.commit()

        await database.transaction(raise_alarms)
        await asyncio.sleep(1.0)
        assert subscriber.received.empty()
        assert fleet_metrics().outbox_backlog._value.get() == 5

        broker.start()
        expected = {f'{{"alarm": {100 + n}}}'.encode() for n in range(5)}
        got: set[bytes] = set()
        while got != expected:  # at least once: a publish that timed out may arrive twice
            got.add(await asyncio.to_thread(subscriber.received.get, True, 20))
            assert got <= expected
        for _ in range(50):
            if fleet_metrics().outbox_backlog._value.get() == 0:
                break
            await asyncio.sleep(0.1)
        assert fleet_metrics().outbox_backlog._value.get() == 0
    finally:
        await relay.stop()
        await bus.stop()
        subscriber.close()
