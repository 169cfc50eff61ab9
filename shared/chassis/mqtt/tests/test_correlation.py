"""The correlation id crosses the broker: in the envelope, and as an MQTT 5 user property."""

from chassis.context import correlation_id
from chassis.mqtt import Bus
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from chassis.tests.messages import JobAssigned, Reading
from contracts import Event

_READING = b'{"ts": 1717243200, "metrics": {"temp": 1}}'


def _assigned() -> Event[JobAssigned]:
    return Event.of(JobAssigned(job_id=5, assignee_id=6), id=77, source="jobs")


async def test_published_event_carries_the_current_correlation_id_to_the_handler(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_assigned(event: Event[JobAssigned]) -> None:
        inbox.add((event.correlation_id, correlation_id.get()))

    topic = f"{mqtt_namespace}/jobs"
    consumer = Bus(mqtt_settings(), service="tasks", handlers={topic: on_assigned})
    producer = Bus(mqtt_settings(), service="jobs")
    async with running(consumer), running(producer):
        token = correlation_id.set("req-1234")
        try:
            await producer.publish(topic, _assigned())
        finally:
            correlation_id.reset(token)
        [(in_envelope, in_context)] = await inbox.wait_for(1)
    assert in_envelope == in_context == "req-1234"


async def test_correlation_id_of_a_plain_payload_travels_as_a_user_property(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading) -> None:
        inbox.add(correlation_id.get())

    topic = f"{mqtt_namespace}/t"
    consumer = Bus(mqtt_settings(), service="devices", handlers={topic: on_reading})
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        token = correlation_id.set("cmd-5678")
        try:
            await producer.publish(topic, _READING)  # no envelope: only the property has it
        finally:
            correlation_id.reset(token)
        assert await inbox.wait_for(1) == ["cmd-5678"]


async def test_on_an_mqtt_311_connection_the_envelope_carries_the_correlation_id(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_assigned(event: Event[JobAssigned]) -> None:
        inbox.add(correlation_id.get())

    topic = f"{mqtt_namespace}/jobs"
    consumer = Bus(mqtt_settings(protocol="3.1.1"), service="tasks", handlers={topic: on_assigned})
    producer = Bus(mqtt_settings(protocol="3.1.1"), service="jobs")
    async with running(consumer), running(producer):
        token = correlation_id.set("req-311")
        try:
            await producer.publish(topic, _assigned())
        finally:
            correlation_id.reset(token)
        assert await inbox.wait_for(1) == ["req-311"]


async def test_a_message_without_a_correlation_id_gets_a_fresh_one(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    inbox = Inbox()

    async def on_reading(reading: Reading) -> None:
        inbox.add(correlation_id.get())

    topic = f"{mqtt_namespace}/t"
    consumer = Bus(mqtt_settings(), service="devices", handlers={topic: on_reading})
    producer = Bus(mqtt_settings(), service="sim")
    async with running(consumer), running(producer):
        await producer.publish(topic, _READING)
        await producer.publish(topic, _READING)
        first, second = await inbox.wait_for(2)
    assert first
    assert second != first
