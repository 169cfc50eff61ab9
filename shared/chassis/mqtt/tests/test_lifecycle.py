"""The bus as a component: health, degraded start, birth message, no last will on a clean stop."""

import logging

import pytest

from chassis.local import PrivateBroker
from chassis.mqtt import Announcement, Bus, MqttSettings
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running


async def test_a_bus_started_while_the_broker_is_down_reports_down_then_connects(
    mqtt_settings: SettingsFactory, private_broker: PrivateBroker
) -> None:
    private_broker.stop()
    bus = Bus(mqtt_settings(url=private_broker.address.url, connect_timeout=0.2), service="sim")
    await bus.start()  # degraded, not failed: the service still serves what it can
    try:
        assert bus.health().status == "down"
        private_broker.start()
        await bus.wait_connected(10)
        assert bus.health().status == "up"
    finally:
        await bus.stop()
    assert bus.health().status == "down"


async def test_birth_message_on_connect_and_no_last_will_on_a_clean_stop(
    mqtt_settings: SettingsFactory, mqtt_namespace: str
) -> None:
    presence = Inbox()

    async def on_status(status: bytes) -> None:
        presence.add(status)

    topic = f"{mqtt_namespace}/status"
    watcher = Bus(mqtt_settings(), service="ops", handlers={topic: on_status})
    device: MqttSettings = mqtt_settings(
        birth=Announcement(topic=topic, payload="online", retain=False),
        will=Announcement(topic=topic, payload="offline", retain=False),
    )
    async with running(watcher):
        async with running(Bus(device, service="sim")):
            await presence.wait_for(1)
        assert await presence.stays_at(1, seconds=1.0)
    assert presence.items == [b"online"]


async def test_a_clean_stop_is_not_logged_as_losing_the_broker(
    mqtt_settings: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    bus = Bus(mqtt_settings(), service="ops")
    await bus.start()
    await bus.wait_connected(10)
    with caplog.at_level(logging.INFO):
        await bus.stop()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert (bus.health().detail or "").endswith("stopped")


def test_settings_read_credentials_from_the_url_unless_given() -> None:
    settings = MqttSettings(url="mqtt://svc:s3cret@broker:1884")
    assert (settings.host, settings.port, settings.credentials()) == (
        "broker",
        1884,
        ("svc", "s3cret"),
    )
    assert MqttSettings(url="mqtt://b", username="u", password="p").credentials() == ("u", "p")
