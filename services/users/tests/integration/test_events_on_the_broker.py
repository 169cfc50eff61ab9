"""Events leave through the outbox relay and the chassis Bus and arrive on a real MQTT broker
in the contracts' envelope, on the contracts' topics."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion

from chassis.testing import BrokerAddress
from contracts import Event, topics
from contracts.users import UserDeactivated, UserRegistered
from users.tests.integration.conftest import Accounts

Received = queue.Queue[tuple[str, bytes]]


@pytest.fixture
def received(mqtt_broker: BrokerAddress, mqtt_client_id: str) -> Iterator[Received]:
    """Every users event on the broker, as another service's consumer would see it."""
    messages: Received = queue.Queue()
    subscribed = threading.Event()
    consumer = Client(CallbackAPIVersion.VERSION2, client_id=f"{mqtt_client_id}-consumer")
    consumer.on_connect = lambda c, *_: c.subscribe(topics.event("users", "#"), qos=1)
    consumer.on_subscribe = lambda *_: subscribed.set()

    def on_message(_client: Client, _userdata: object, message: MQTTMessage) -> None:
        messages.put((message.topic, bytes(message.payload)))

    consumer.on_message = on_message
    consumer.connect(mqtt_broker.host, mqtt_broker.port)
    consumer.loop_start()
    assert subscribed.wait(10), "no SUBACK"
    yield messages
    consumer.loop_stop()
    consumer.disconnect()


def _event_about(received: Received, topic: str, user_id: str) -> bytes:
    # The broker may be shared with other tests: skip what is not about our user.
    while True:
        got_topic, payload = received.get(timeout=10)
        if got_topic == topic and f'"user_id":"{user_id}"' in payload.decode():
            return payload


def test_registering_publishes_user_registered(
    client: TestClient, accounts: Accounts, received: Received
) -> None:
    user = accounts.register()

    payload = _event_about(received, topics.event("users", "user.registered"), user["id"])

    event = Event[UserRegistered].model_validate_json(payload)
    assert (event.type, event.source) == ("user.registered", "users")
    assert event.data.user_id == int(user["id"])
    assert (event.data.username, event.data.role) == (user["username"], "technician")


def test_deactivating_publishes_user_deactivated_with_the_reason(
    client: TestClient, accounts: Accounts, received: Received
) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()

    response = client.patch(
        f"/v1/users/{user['id']}", json={"active": False, "reason": "left"}, headers=admin
    )

    payload = _event_about(received, topics.event("users", "user.deactivated"), user["id"])
    event = Event[UserDeactivated].model_validate_json(payload)
    assert (event.type, event.source) == ("user.deactivated", "users")
    assert (event.data.user_id, event.data.reason) == (int(user["id"]), "left")
    assert event.correlation_id == response.headers["x-request-id"]
