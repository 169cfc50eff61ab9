"""Events leave at their commit, not at the relay's next poll; the outbox stays the safety net:
nothing for a rolled-back transaction, nothing lost to a kill -9 between commit and publish."""

from __future__ import annotations

import asyncio
import os
import queue
import signal
import sys
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion

from chassis.db import Database, UnitOfWork
from chassis.mqtt import Bus, MqttSettings
from chassis.outbox import OutboxRelay, OutboxSettings, outbox_table
from chassis.outbox.tests import crashing_writer
from chassis.outbox.tests.conftest import RecordingPublisher, eventually
from chassis.testing import BrokerAddress

# The poll alone would take a minute: only the commit's wake-up can pass these tests.
NO_POLL = OutboxSettings(poll_interval=60, retry_initial=0.05, retry_max=0.2)
SWEEP = NO_POLL.model_copy(update={"poll_interval": 0.2})


def _unsent(database: Database) -> int:
    query = sa.select(sa.func.count()).where(outbox_table.c.sent_at.is_(None))
    with database.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _emit(payload: bytes, topic: str = "fleet/events/test/x") -> Callable[[UnitOfWork], None]:
    def work(uow: UnitOfWork) -> None:
        uow.emit(topic, payload)

    return work


async def _started(relay: OutboxRelay) -> OutboxRelay:
    await relay.start()
    await eventually(lambda: relay.last_success is not None)  # its first look found nothing
    return relay


class _Subscriber:
    def __init__(self, address: BrokerAddress, topic: str, client_id: str) -> None:
        self.received: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._client = Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        subscribed = queue.Queue[bool]()
        self._client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self._client.on_subscribe = lambda *_: subscribed.put(True)
        self._client.on_message = self._arrived
        self._client.connect(address.host, address.port)
        self._client.loop_start()
        subscribed.get(timeout=10)

    def _arrived(self, _client: Client, _userdata: object, message: MQTTMessage) -> None:
        self.received.put((time.monotonic(), bytes(message.payload)))

    def close(self) -> None:
        self._client.loop_stop()
        self._client.disconnect()


async def test_an_event_reaches_a_subscriber_within_milliseconds_of_its_commit(
    database: Database, mqtt_broker: BrokerAddress, mqtt_namespace: str, mqtt_client_id: str
) -> None:
    topic = f"{mqtt_namespace}/events/task.created"
    subscriber = _Subscriber(mqtt_broker, topic, f"{mqtt_client_id}-sub")
    bus = Bus(MqttSettings(url=mqtt_broker.url, client_id=mqtt_client_id), service="test")
    await bus.start()
    relay = await _started(OutboxRelay(database, bus.publish, NO_POLL))
    try:
        await database.transaction(_emit(b'{"n": 1}', topic))
        committed = time.monotonic()
        arrived, payload = await asyncio.to_thread(subscriber.received.get, True, 10)
    finally:
        await relay.stop()
        await bus.stop()
        subscriber.close()
    assert payload == b'{"n": 1}'
    assert arrived - committed < 1.0  # the poll would have taken 60 s


async def test_a_rolled_back_unit_of_work_publishes_nothing(
    database: Database, publisher: RecordingPublisher
) -> None:
    relay = await _started(OutboxRelay(database, publisher, NO_POLL))

    def refused(uow: UnitOfWork) -> None:
        uow.emit("fleet/events/test/x", b"rolled back")
        raise ValueError("the change is refused")

    try:
        with pytest.raises(ValueError, match="refused"):
            await database.transaction(refused)
        with database.unit_of_work() as uow:  # left without commit
            uow.emit("fleet/events/test/x", b"never committed")
        await database.transaction(_emit(b"committed"))  # published at once, after the others
        await eventually(lambda: publisher.received != [], within=5)
        await asyncio.sleep(0.2)  # room for anything else to arrive
    finally:
        await relay.stop()
    assert publisher.received == [("fleet/events/test/x", b"committed")]


async def test_a_whole_batch_goes_to_the_broker_before_any_acknowledgement(
    database: Database,
) -> None:
    handed_over: list[bytes] = []
    all_handed_over = asyncio.Event()

    async def acknowledges_once_all_are_sent(_topic: str, payload: bytes) -> None:
        handed_over.append(payload)
        if len(handed_over) == 50:
            all_handed_over.set()
        await all_handed_over.wait()  # one at a time, the first would wait forever

    quick = NO_POLL.model_copy(update={"publish_timeout": 2})
    relay = await _started(OutboxRelay(database, acknowledges_once_all_are_sent, quick))
    payloads = [f'{{"n": {n}}}'.encode() for n in range(50)]

    def many(uow: UnitOfWork) -> None:
        for payload in payloads:
            uow.emit("fleet/events/test/x", payload)

    try:
        await database.transaction(many)
        await eventually(lambda: len(handed_over) == 50, within=5)
        await eventually(lambda: _unsent(database) == 0, within=5)
    finally:
        await relay.stop()
    assert handed_over == payloads
    assert relay.failure is None


async def test_an_event_whose_process_was_killed_before_publishing_it_is_published_by_the_next(
    database: Database, database_url: str, publisher: RecordingPublisher
) -> None:
    writer = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", crashing_writer.__name__, database_url, "fleet/events/test/x"),
        "kept",
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert writer.stdout is not None
        said = await asyncio.wait_for(writer.stdout.readline(), timeout=60)
        assert said.strip() == b"publishing"  # committed, claimed, handed over: no PUBACK yet
    finally:
        writer.send_signal(signal.SIGKILL)
        await writer.wait()
    relay = await _started(OutboxRelay(database, publisher, SWEEP))  # no commit wakes it
    try:
        await eventually(lambda: publisher.received != [], within=10)  # after the dead one's lease
    finally:
        await relay.stop()
    assert publisher.received == [("fleet/events/test/x", b"kept")]
