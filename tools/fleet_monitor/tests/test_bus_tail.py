"""The bus tail against a real broker: what is published on fleet/events shows up, newest first."""

import asyncio
import json
import uuid
from collections.abc import Callable

from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from chassis.local import BrokerAddress
from fleet_monitor.bus_tail import EventTail, bus_event


def _publish(broker: BrokerAddress, topic: str, payload: bytes) -> None:
    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"pub-{uuid.uuid4().hex[:8]}",
        protocol=MQTTProtocolVersion.MQTTv311,
    )
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        client.publish(topic, payload, qos=1).wait_for_publish(timeout=10)
    finally:
        client.disconnect()
        client.loop_stop()


def _envelope(event_type: str, correlation_id: str) -> bytes:
    return json.dumps(
        {
            "id": "1",
            "type": event_type,
            "version": 1,
            "occurred_at": "2025-01-01T12:00:00+00:00",
            "source": "tasks",
            "correlation_id": correlation_id,
            "data": {},
        }
    ).encode()


async def _until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_published_envelope_appears_in_the_tail(
    mqtt_broker: BrokerAddress, mqtt_namespace: str
) -> None:
    tail = EventTail(mqtt_broker.url, f"{mqtt_namespace}/fleet/events/#", keep=2)
    await tail.start()
    try:
        await _until(lambda: tail.connected)
        # Publishing from a worker thread: the loop keeps running the tail's callbacks meanwhile.
        for n in range(3):
            await asyncio.to_thread(
                _publish,
                mqtt_broker,
                f"{mqtt_namespace}/fleet/events/tasks/task.completed",
                _envelope("task.completed", f"corr-{n}"),
            )
        await _until(lambda: any(e.correlation_id == "corr-2" for e in tail.events))
    finally:
        await tail.stop()
    newest = tail.events[0]
    assert (newest.type, newest.source, newest.correlation_id) == (
        "task.completed",
        "tasks",
        "corr-2",
    )
    assert newest.time == "2025-01-01T12:00:00+00:00"
    assert [e.correlation_id for e in tail.events] == ["corr-2", "corr-1"]  # only `keep` kept


async def test_a_broker_that_is_down_leaves_the_tail_disconnected_not_failing() -> None:
    tail = EventTail("mqtt://127.0.0.1:1", "fleet/events/#")
    await tail.start()
    await asyncio.sleep(0.3)
    assert not tail.connected
    await tail.stop()


def test_a_payload_that_is_not_an_envelope_still_shows_its_topic() -> None:
    event = bus_event("fleet/events/x/y", b"\xff not json")
    assert (event.type, event.topic) == ("(not an envelope)", "fleet/events/x/y")
    assert bus_event("t", b"[1, 2]").type == "(not an envelope)"
