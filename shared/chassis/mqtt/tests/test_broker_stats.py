"""The broker's own counts reach /metrics: what it dropped past its queue limit, what it holds."""

import asyncio
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY

from chassis.local.broker import _find_mosquitto
from chassis.mqtt import Bus, MqttSettings, export_broker_stats
from chassis.mqtt.broker_stats import DROPPED_TOPIC
from chassis.mqtt.tests.conftest import SettingsFactory, running, until
from chassis.testing import Mosquitto

QUEUE_LIMIT = 10
_READING = b'{"ts": 1717243200, "metrics": {"temp": 1}}'


def _mosquitto(queue_limit: int) -> Iterator[Mosquitto]:
    if _find_mosquitto() is None:
        pytest.skip("needs mosquitto (apt-get install mosquitto)")
    broker = Mosquitto(limits=f"max_queued_messages {queue_limit}\nsys_interval 1\n")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def small_broker() -> Iterator[Mosquitto]:
    """A Mosquitto that queues 10 messages per client and reports its $SYS counts every second."""
    yield from _mosquitto(QUEUE_LIMIT)


@pytest.fixture
def roomy_broker() -> Iterator[Mosquitto]:
    """A Mosquitto that queues 1,000 messages per client, reporting every second."""
    yield from _mosquitto(1000)


def _exported(name: str, broker: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"broker": broker})


async def _leave_a_session_behind(settings: MqttSettings, topic_filter: str) -> None:
    """A subscriber that goes away: its persistent session queues what it misses."""

    async def on_reading(payload: bytes) -> None:
        pass

    async with running(Bus(settings, service="devices", handlers={topic_filter: on_reading})):
        pass


async def test_messages_the_broker_dropped_past_its_queue_limit_show_on_metrics(
    mqtt_settings: SettingsFactory, small_broker: Mosquitto
) -> None:
    url, broker = small_broker.address.url, f"127.0.0.1:{small_broker.address.port}"
    await _leave_a_session_behind(mqtt_settings(url=url), "fleet/devices/+/telemetry")
    watching = mqtt_settings(url=url)
    watcher = Bus(watching, service="devices", handlers=export_broker_stats(watching))
    publisher = Bus(mqtt_settings(url=url), service="sim")
    async with running(watcher), running(publisher):
        assert _exported("fleet_mqtt_broker_dropped_messages", broker) == 0
        for _ in range(QUEUE_LIMIT + 20):
            await publisher.publish("fleet/devices/1/telemetry", _READING)  # each one PUBACKed
        await until(lambda: _exported("fleet_mqtt_broker_dropped_messages", broker) == 20, 5)


async def test_what_the_broker_holds_for_an_absent_subscriber_shows_on_metrics(
    mqtt_settings: SettingsFactory, roomy_broker: Mosquitto
) -> None:
    url, broker = roomy_broker.address.url, f"127.0.0.1:{roomy_broker.address.port}"
    await _leave_a_session_behind(mqtt_settings(url=url), "fleet/devices/+/telemetry")
    watching = mqtt_settings(url=url)
    watcher = Bus(watching, service="devices", handlers=export_broker_stats(watching))
    publisher = Bus(mqtt_settings(url=url), service="sim")

    def stored() -> float:
        return _exported("fleet_mqtt_broker_stored_messages", broker) or 0.0

    async with running(watcher), running(publisher):
        await until(lambda: stored() > 0, within=5)  # the broker's own retained $SYS topics
        before = stored()
        await asyncio.gather(
            *(publisher.publish("fleet/devices/1/telemetry", _READING) for _ in range(500))
        )
        # The broker's $SYS topics come and go by a few meanwhile; the 500 queued stay.
        await until(lambda: stored() >= before + 490, within=5)


async def test_a_count_that_is_not_a_number_is_ignored_and_the_last_one_kept() -> None:
    # The broker's payloads cannot be forged over MQTT ($SYS is the broker's): the handler is
    # given one directly, as the bus would.
    settings = MqttSettings(url="mqtt://broker-stats.invalid:1883")
    [dropped] = [s for s in export_broker_stats(settings) if s.topic_filter == DROPPED_TOPIC]
    await dropped.handler(b"7")
    await dropped.handler(b"seven")
    await dropped.handler(b"")
    assert _exported("fleet_mqtt_broker_dropped_messages", "broker-stats.invalid:1883") == 7
