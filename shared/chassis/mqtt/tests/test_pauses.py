"""A handler whose dependency is down pauses its subscription, says so in readiness, and
resumes by itself; a handler wrong about one message dead-letters it and goes on."""

from __future__ import annotations

from chassis.mqtt import Bus, DeadLetterRecord
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running, until
from chassis.tests.messages import Reading

_READING = b'{"ts": 1717243200, "metrics": {"temp": 1}}'


class Dependency:
    """Something a handler needs, down until the test brings it back."""

    def __init__(self) -> None:
        self.up = False
        self.calls = 0

    def use(self) -> None:
        self.calls += 1
        if not self.up:
            raise ConnectionError("connection refused")


async def test_a_transient_failure_pauses_until_the_dependency_is_back(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    database, handled = Dependency(), Inbox()

    async def store(reading: Reading) -> None:
        database.use()
        handled.add(reading)

    topic = f"{mqtt_namespace}/t"
    settings = mqtt_settings(retry_delay=0.01, retry_max_delay=0.1, handler_attempts=2)
    consumer = Bus(settings, service="devices", handlers={topic: store})
    async with running(Bus(mqtt_settings(), service="sim")) as producer, running(consumer):
        await producer.publish(topic, _READING)
        await until(lambda: database.calls > 5)  # far past handler_attempts: still waiting
        health = consumer.health()
        assert health.status == "down"
        assert "paused" in (health.detail or "")
        assert "connection refused" in (health.detail or "")
        database.up = True
        await handled.wait_for(1, within=2)
        assert consumer.health().status == "up"


async def test_a_handler_failing_on_one_message_dead_letters_it_and_goes_on(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    handled, dead = Inbox(), Inbox()

    async def store(reading: Reading) -> None:
        if reading.metrics["temp"] < 0:
            raise KeyError("a bug this message finds")
        handled.add(reading)

    async def on_dead_letter(record: DeadLetterRecord) -> None:
        dead.add(record)

    topic, dlq = f"{mqtt_namespace}/t", f"{mqtt_namespace}/dlq"
    consumer = Bus(
        mqtt_settings(dlq_topic=dlq, handler_attempts=2),
        service="devices",
        handlers={topic: store},
    )
    listener = Bus(mqtt_settings(), service="ops", handlers={dlq: on_dead_letter})
    async with (
        running(listener),
        running(consumer),
        running(Bus(mqtt_settings(), service="sim")) as producer,
    ):
        await producer.publish(topic, b'{"ts": 1717243200, "metrics": {"temp": -1}}')
        await producer.publish(topic, _READING)
        await handled.wait_for(1)
        [record] = await dead.wait_for(1)
        assert consumer.health().status == "up"  # no pause: the dependencies are fine
    assert record.reason == "handler_failed"
    assert "a bug this message finds" in record.error
