"""Handlers receive validated models on their topic filters, plain and shared."""

from datetime import UTC, datetime

from chassis.mqtt import Bus, Delivery
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from contracts import Event, TaskCompleted, Telemetry, topics

_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


async def test_handler_receives_a_validated_model_of_its_topic(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_telemetry(telemetry: Telemetry, delivery: Delivery) -> None:
        inbox.add((telemetry, delivery.topic))

    consumer = Bus(mqtt_settings(), service="devices")
    consumer.subscribe(f"{mqtt_namespace}/{topics.telemetry('+')}", on_telemetry)
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        topic = f"{mqtt_namespace}/{topics.telemetry(42)}"
        await producer.publish(topic, b'{"ts": 1717243200, "metrics": {"temp": 81.5}}')
        [(telemetry, where)] = await inbox.wait_for(1)
    assert isinstance(telemetry, Telemetry)
    assert telemetry.readings[0].ts == _NOW
    assert telemetry.readings[0].metrics == {"temp": 81.5}
    assert where == topic


async def test_event_handler_gets_the_envelope_with_typed_data(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_completed(event: Event[TaskCompleted]) -> None:
        inbox.add(event)

    topic = f"{mqtt_namespace}/{topics.event('tasks', 'task.completed')}"
    consumer = Bus(mqtt_settings(), service="devices", handlers={topic: on_completed})
    producer = Bus(mqtt_settings(), service="tasks")
    sent = Event.of(TaskCompleted(task_id=2**60, completed_at=_NOW), id=2**62, source="tasks")
    async with running(consumer), running(producer):
        await producer.publish(topic, sent)
        [event] = await inbox.wait_for(1)
    assert isinstance(event.data, TaskCompleted)
    assert event == sent


async def test_shared_subscription_splits_messages_across_the_group(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_telemetry(telemetry: Telemetry, delivery: Delivery) -> None:
        inbox.add(delivery.topic)

    shared = topics.shared(mqtt_namespace.replace("/", "-"), f"{mqtt_namespace}/fleet/+/t")
    first = Bus(mqtt_settings(), service="devices", handlers={shared: on_telemetry})
    second = Bus(mqtt_settings(), service="devices", handlers={shared: on_telemetry})
    producer = Bus(mqtt_settings(), service="sim")
    reading = b'{"ts": 1717243200, "metrics": {"temp": 1}}'
    async with running(first), running(second), running(producer):
        for n in range(20):
            await producer.publish(f"{mqtt_namespace}/fleet/{n}/t", reading)
        received = await inbox.wait_for(20)
        assert await inbox.stays_at(20)  # each message went to one member, not both
    assert sorted(received) == sorted(f"{mqtt_namespace}/fleet/{n}/t" for n in range(20))
