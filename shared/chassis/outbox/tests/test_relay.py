"""The relay publishes what the outbox holds, survives a broker outage and drains at stop."""

import asyncio
import queue

import sqlalchemy as sa
from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion
from prometheus_client import REGISTRY

from chassis.db import Database
from chassis.outbox import OutboxRelay, OutboxSettings, outbox_table
from chassis.outbox.tests.conftest import RecordingPublisher, eventually
from chassis.outbox.tests.mqtt_publisher import PahoPublisher
from chassis.testing import BrokerAddress

FAST = OutboxSettings(poll_interval=0.05, retry_initial=0.05, retry_max=0.2, grace_period=5)


def _emit(database: Database, count: int, topic: str = "fleet/events/test/x") -> list[bytes]:
    payloads = [f'{{"n":{n}}}'.encode() for n in range(count)]
    with database.unit_of_work() as uow:
        for payload in payloads:
            uow.emit(topic, payload)
        uow.commit()
    return payloads


def _unsent(database: Database) -> int:
    query = sa.select(sa.func.count()).where(outbox_table.c.sent_at.is_(None))
    with database.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _backlog_gauge() -> float | None:
    return REGISTRY.get_sample_value("fleet_outbox_backlog")


async def test_relay_publishes_pending_events_in_order_and_marks_them_sent(
    database: Database, publisher: RecordingPublisher
) -> None:
    payloads = _emit(database, 5)
    relay = OutboxRelay(database, publisher, FAST)
    await relay.start()
    try:
        await eventually(lambda: len(publisher.received) == 5)
        await eventually(lambda: _unsent(database) == 0)
    finally:
        await relay.stop()
    assert [payload for _, payload in publisher.received] == payloads


async def test_relay_keeps_events_while_publishing_fails_then_delivers_them_all(
    database: Database, publisher: RecordingPublisher
) -> None:
    publisher.down = True
    payloads = _emit(database, 3)
    relay = OutboxRelay(database, publisher, FAST)
    await relay.start()
    try:
        await eventually(lambda: publisher.attempts >= 6)  # two rounds of three
        assert relay.health().status == "down"
        assert _unsent(database) == 3
        publisher.down = False
        await eventually(lambda: len(publisher.received) == 3)
        await eventually(lambda: _backlog_gauge() == 0 and relay.health().status == "up")
    finally:
        await relay.stop()
    assert [payload for _, payload in publisher.received] == payloads
    assert _unsent(database) == 0


async def test_relay_publishes_what_is_left_when_it_stops(
    database: Database, publisher: RecordingPublisher
) -> None:
    relay = OutboxRelay(database, publisher, FAST.model_copy(update={"poll_interval": 60}))
    await relay.start()
    await eventually(lambda: _backlog_gauge() == 0)  # the first round found nothing
    _emit(database, 4)
    await relay.stop()
    assert len(publisher.received) == 4
    assert _unsent(database) == 0


async def test_two_relays_publish_each_event_exactly_once(
    database: Database, publisher: RecordingPublisher
) -> None:
    payloads = _emit(database, 200)
    small = FAST.model_copy(update={"batch_size": 10})
    relays = [OutboxRelay(database, publisher, small) for _ in range(2)]
    await asyncio.gather(*(relay.start() for relay in relays))
    try:
        await eventually(lambda: _unsent(database) == 0, within=30)
    finally:
        await asyncio.gather(*(relay.stop() for relay in relays))
    assert sorted(payload for _, payload in publisher.received) == sorted(payloads)


async def test_relay_delivers_through_a_real_broker(
    database: Database, mqtt_broker: BrokerAddress, mqtt_namespace: str, mqtt_client_id: str
) -> None:
    topic = f"{mqtt_namespace}/events/alarm.raised"
    received: queue.Queue[bytes] = queue.Queue()
    subscribed = asyncio.Event()
    loop = asyncio.get_running_loop()
    consumer = Client(CallbackAPIVersion.VERSION2, client_id=f"{mqtt_client_id}-sub")
    consumer.on_connect = lambda c, *_: c.subscribe(topic, qos=1)

    def on_subscribe(*_: object) -> None:
        loop.call_soon_threadsafe(subscribed.set)

    consumer.on_subscribe = on_subscribe

    def on_message(_client: Client, _userdata: object, message: MQTTMessage) -> None:
        received.put(bytes(message.payload))

    consumer.on_message = on_message
    consumer.connect(mqtt_broker.host, mqtt_broker.port)
    consumer.loop_start()
    try:
        async with asyncio.timeout(10):
            await subscribed.wait()
        payloads = _emit(database, 3, topic)
        with PahoPublisher(mqtt_broker, f"{mqtt_client_id}-pub") as publish:
            relay = OutboxRelay(database, publish, FAST)
            await relay.start()
            await eventually(lambda: received.qsize() == 3)
            await relay.stop()
    finally:
        consumer.loop_stop()
        consumer.disconnect()
    assert [received.get_nowait() for _ in range(3)] == payloads
