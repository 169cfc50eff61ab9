"""The MQTT link against a real private broker (in this process: no locust, no gevent)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from chassis.local import PrivateBroker
from contracts import topics
from contracts.devices import Telemetry
from load.telemetry import LinkDown, TelemetryLink


@pytest.fixture
def link(private_broker: PrivateBroker) -> Iterator[TelemetryLink]:
    link = TelemetryLink(private_broker.address.url, "4242", client_id=f"load-{uuid.uuid4().hex}")
    link.connect(timeout=10)
    yield link
    link.close()


def test_publishes_readings_the_devices_service_can_read(
    link: TelemetryLink, private_broker: PrivateBroker
) -> None:
    received: list[bytes] = []
    subscribed = threading.Event()
    subscriber = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"sub-{uuid.uuid4().hex}")
    subscriber.on_message = lambda _client, _userdata, message: received.append(
        bytes(message.payload)
    )
    subscriber.on_subscribe = lambda *_: subscribed.set()
    subscriber.on_connect = lambda client, *_: client.subscribe(topics.telemetry("4242"), qos=1)
    subscriber.connect(private_broker.address.host, private_broker.address.port)
    subscriber.loop_start()
    try:
        assert subscribed.wait(10)
        size = link.publish_reading(timeout=5)
        # The broker has acknowledged it, so it is on its way to every subscriber.
        for _ in range(100):
            if received:
                break
            time.sleep(0.05)
    finally:
        subscriber.loop_stop()
        subscriber.disconnect()

    assert len(received) == 1
    assert size == len(received[0])
    reading = Telemetry.model_validate_json(received[0]).readings[0]
    assert set(reading.metrics) == {"temperature", "pressure"}


def test_a_reading_the_broker_does_not_acknowledge_fails(
    link: TelemetryLink, private_broker: PrivateBroker
) -> None:
    private_broker.stop()

    with pytest.raises(LinkDown):
        link.publish_reading(timeout=1)


def test_a_broker_that_is_not_there_fails_the_connect(private_broker: PrivateBroker) -> None:
    private_broker.stop()
    link = TelemetryLink(private_broker.address.url, "4243", client_id=f"load-{uuid.uuid4().hex}")

    with pytest.raises(ConnectionRefusedError):
        link.connect(timeout=2)
