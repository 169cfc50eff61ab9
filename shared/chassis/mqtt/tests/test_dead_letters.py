"""Payloads no handler can take go to the dead-letter topic with the reason; the bus goes on."""

import pytest
from prometheus_client import REGISTRY

from chassis.metrics import fleet_metrics
from chassis.mqtt import Bus, DeadLetter, DeadLetterRecord
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from chassis.tests.messages import JobAssigned, JobDone, Reading
from contracts import Event

_GOOD = b'{"ts": 1717243200, "metrics": {"temp": 81.5}}'


def _dead_lettered(reason: str) -> float:
    fleet_metrics()  # registers the families on first use
    sample = REGISTRY.get_sample_value(
        "fleet_mqtt_messages_dead_lettered_total", {"reason": reason}
    )
    return sample or 0.0


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"ts": 17172', "malformed_json"),
        (b'{"ts": 1717243200, "metrics": {"temp": "hot"}}', "invalid_schema"),
    ],
)
async def test_bad_payload_is_dead_lettered_with_its_reason_and_the_next_is_handled(
    mqtt_settings: SettingsFactory, mqtt_namespace: str, payload: bytes, reason: str
) -> None:
    handled, dead = Inbox(), Inbox()

    async def on_reading(reading: Reading) -> None:
        handled.add(reading)

    async def on_dead_letter(record: DeadLetterRecord) -> None:
        dead.add(record)

    dlq = f"{mqtt_namespace}/dlq"
    settings = mqtt_settings(dlq_topic=dlq)
    consumer = Bus(settings, service="devices", handlers={f"{mqtt_namespace}/t": on_reading})
    watcher = Bus(mqtt_settings(), service="ops", handlers={dlq: on_dead_letter})
    before = _dead_lettered(reason)
    async with running(consumer), running(watcher):
        await watcher.publish(f"{mqtt_namespace}/t", payload)
        await watcher.publish(f"{mqtt_namespace}/t", _GOOD)
        [record] = await dead.wait_for(1)
        await handled.wait_for(1)
    assert (record.reason, record.service) == (reason, "devices")
    assert record.topic == f"{mqtt_namespace}/t"
    assert record.original() == payload
    assert record.error
    assert _dead_lettered(reason) == before + 1


async def test_unknown_event_type_is_dead_lettered(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    dead = Inbox()

    async def on_job(event: Event[JobAssigned] | Event[JobDone]) -> None:
        raise AssertionError("an event the handler does not take must not reach it")

    async def on_dead_letter(record: DeadLetterRecord) -> None:
        dead.add(record)

    dlq = f"{mqtt_namespace}/dlq"
    settings = mqtt_settings(dlq_topic=dlq)
    consumer = Bus(settings, service="tasks", handlers={f"{mqtt_namespace}/e/#": on_job})
    watcher = Bus(mqtt_settings(), service="ops", handlers={dlq: on_dead_letter})
    unknown = (
        b'{"id": "1", "type": "job.exploded", "version": 1, "source": "jobs",'
        b' "occurred_at": "2024-06-01T12:00:00Z", "data": {}}'
    )
    async with running(consumer), running(watcher):
        await watcher.publish(f"{mqtt_namespace}/e/x", unknown)
        [record] = await dead.wait_for(1)
    assert record.reason == "unknown_event"
    assert "job.exploded" in record.error


async def test_handler_refusing_a_message_dead_letters_it_with_its_reason(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    dead = Inbox()

    async def on_reading(reading: Reading) -> None:
        raise DeadLetter("unknown_device", "device 42 is not registered")

    async def on_dead_letter(record: DeadLetterRecord) -> None:
        dead.add(record)

    dlq = f"{mqtt_namespace}/dlq"
    settings = mqtt_settings(dlq_topic=dlq)
    consumer = Bus(settings, service="devices", handlers={f"{mqtt_namespace}/t": on_reading})
    watcher = Bus(mqtt_settings(), service="ops", handlers={dlq: on_dead_letter})
    async with running(consumer), running(watcher):
        await watcher.publish(f"{mqtt_namespace}/t", _GOOD)
        [record] = await dead.wait_for(1)
    assert (record.reason, record.error) == ("unknown_device", "device 42 is not registered")
