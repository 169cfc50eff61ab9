"""The alarm story is one piece of work: the reading's message, the alarm devices raises for it
and the task tasks opens (over HTTP, later) all carry one correlation id, so one search of the
logs or the events follows it from end to end.

Devices' telemetry connection speaks MQTT 3.1.1 (docs/performance.md), so a reading carries no
id of its own: devices gives its message one on arrival. A device's own id, sent as an MQTT 5
user property on an MQTT 5 telemetry connection, is kept instead
(services/devices/tests/integration/test_alarms.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from chassis.local import Mosquitto
from contracts import topics
from e2e.actors import DEMO_PASSWORD, Device, People, eventually
from e2e.story import alarm_with_its_task, register_device


class EventTap:
    """Every domain event the fleet publishes, as the JSON envelopes a consumer receives."""

    def __init__(self, broker_url: str) -> None:
        self.events: list[dict[str, Any]] = []
        self._subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="e2e-event-tap")
        self.client.on_connect = lambda client, *_: client.subscribe(topics.event("+", "#"), 1)
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.client.on_message = lambda _c, _d, message: self.events.append(
            json.loads(message.payload)
        )
        parts = urlsplit(broker_url)
        self.client.connect_async(parts.hostname or "127.0.0.1", parts.port or 1883)
        self.client.loop_start()
        assert self._subscribed.wait(10), f"could not subscribe to events on {broker_url}"

    def first(self, event_type: str, **data: str) -> dict[str, Any] | None:
        """The first event of `event_type` whose data has these fields (ids as strings)."""
        return next(
            (
                e
                for e in list(self.events)
                if e["type"] == event_type and all(e["data"].get(k) == v for k, v in data.items())
            ),
            None,
        )

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def tap(broker: Mosquitto) -> Iterator[EventTap]:
    listening = EventTap(broker.address.url)
    yield listening
    listening.close()


def test_the_reading_its_alarm_and_the_task_opened_for_it_carry_one_correlation_id(
    people: People, broker: Mosquitto, tap: EventTap
) -> None:
    operator = people.log_in("operator", DEMO_PASSWORD)
    device = Device(register_device(operator, high=80.0, clear=75.0), broker.address.url)
    try:
        # Another reading (another piece of work), then the one that crosses the line.
        alarm = alarm_with_its_task(operator, device, 70.0, 91.5)
    finally:
        device.close()

    raised = eventually(
        lambda: tap.first("device.alarm.raised", alarm_id=str(alarm.id)),
        within=15,
        what="device.alarm.raised on the bus",
    )
    created = eventually(
        lambda: tap.first("task.created", alarm_id=str(alarm.id)),
        within=15,
        what="task.created of the alarm's task on the bus",
    )
    assert created["data"]["task_id"] == str(alarm.task_id)
    assert raised["correlation_id"], "devices raised the alarm outside any piece of work"
    assert created["correlation_id"] == raised["correlation_id"]
    assert (raised["source"], created["source"]) == ("devices", "tasks")
