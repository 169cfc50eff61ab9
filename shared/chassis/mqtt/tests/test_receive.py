"""Handlers receive validated models on their topic filters, plain and shared."""

from datetime import UTC, datetime
from typing import Any

import pytest

from chassis.mqtt import Bus, Delivery
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from chassis.tests.messages import JobAssigned, JobDone, Reading
from contracts import Event, topics

_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


async def test_handler_receives_a_validated_model_of_its_topic(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading, delivery: Delivery) -> None:
        inbox.add((reading, delivery.topic))

    consumer = Bus(mqtt_settings(), service="devices")
    consumer.subscribe(f"{mqtt_namespace}/{topics.telemetry('+')}", on_reading)
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        topic = f"{mqtt_namespace}/{topics.telemetry(42)}"
        await producer.publish(topic, b'{"ts": 1717243200, "metrics": {"temp": 81.5}}')
        [(reading, where)] = await inbox.wait_for(1)
    assert isinstance(reading, Reading)
    assert reading.ts == _NOW
    assert reading.metrics == {"temp": 81.5}
    assert where == topic


async def test_event_handler_gets_the_envelope_with_typed_data(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_done(event: Event[JobDone]) -> None:
        inbox.add(event)

    topic = f"{mqtt_namespace}/{topics.event('jobs', 'job.done')}"
    consumer = Bus(mqtt_settings(), service="devices", handlers={topic: on_done})
    producer = Bus(mqtt_settings(), service="jobs")
    sent = Event.of(JobDone(job_id=2**60, done_at=_NOW), id=2**62, source="jobs")
    async with running(consumer), running(producer):
        await producer.publish(topic, sent)
        [event] = await inbox.wait_for(1)
    assert isinstance(event.data, JobDone)
    assert event == sent


async def test_a_handler_of_several_events_gets_each_with_its_own_data(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_job(event: Event[JobAssigned] | Event[JobDone]) -> None:
        inbox.add(event.data)

    topic = f"{mqtt_namespace}/{topics.event('jobs', '#')}"
    consumer = Bus(mqtt_settings(), service="devices", handlers={topic: on_job})
    producer = Bus(mqtt_settings(), service="jobs")
    assigned, done = JobAssigned(job_id=1, assignee_id=2), JobDone(job_id=1, done_at=_NOW)
    async with running(consumer), running(producer):
        for n, data in enumerate((assigned, done)):
            event = Event.of(data, id=n, source="jobs")
            await producer.publish(f"{mqtt_namespace}/{topics.event('jobs', event.type)}", event)
        received = await inbox.wait_for(2)
    assert received == [assigned, done]


def test_a_handler_of_a_bare_event_is_refused_for_want_of_its_events(
    mqtt_settings: SettingsFactory,
) -> None:
    async def on_anything(event: Event) -> None:  # type: ignore[type-arg]
        pass

    async def on_raw(event: Event[dict[str, Any]]) -> None:
        pass

    with pytest.raises(TypeError, match="name its events"):
        Bus(mqtt_settings(), service="devices", handlers={"t": on_anything})
    Bus(mqtt_settings(), service="devices", handlers={"t": on_raw})  # any event, data as JSON


async def test_shared_subscription_splits_messages_across_the_group(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading, delivery: Delivery) -> None:
        inbox.add(delivery.topic)

    shared = topics.shared(mqtt_namespace.replace("/", "-"), f"{mqtt_namespace}/fleet/+/t")
    first = Bus(mqtt_settings(), service="devices", handlers={shared: on_reading})
    second = Bus(mqtt_settings(), service="devices", handlers={shared: on_reading})
    producer = Bus(mqtt_settings(), service="sim")
    reading = b'{"ts": 1717243200, "metrics": {"temp": 1}}'
    async with running(first), running(second), running(producer):
        for n in range(20):
            await producer.publish(f"{mqtt_namespace}/fleet/{n}/t", reading)
        received = await inbox.wait_for(20)
        assert await inbox.stays_at(20)  # each message went to one member, not both
    assert sorted(received) == sorted(f"{mqtt_namespace}/fleet/{n}/t" for n in range(20))
