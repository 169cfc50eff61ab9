"""Publishing from async code: awaited until the broker has it, never blocking the loop."""

import asyncio

import pytest

from chassis.local import PrivateBroker
from chassis.mqtt import Bus, BusUnavailable
from chassis.mqtt.tests.conftest import SettingsFactory, running, until


async def test_publish_returns_only_once_the_broker_acknowledged_it(
    mqtt_settings: SettingsFactory, private_broker: PrivateBroker
) -> None:
    producer = Bus(mqtt_settings(url=private_broker.address.url), service="sim")
    async with running(producer):
        private_broker.stop()
        send = asyncio.create_task(producer.publish("t/1", b"{}"))
        await asyncio.sleep(0.5)  # the loop stays free meanwhile: this sleep returns on time
        assert not send.done()
        private_broker.start()
        await asyncio.wait_for(send, 10)


async def test_qos0_publish_while_disconnected_fails_at_once(
    mqtt_settings: SettingsFactory, private_broker: PrivateBroker
) -> None:
    producer = Bus(mqtt_settings(url=private_broker.address.url), service="sim")
    async with running(producer):
        private_broker.stop()
        await until(lambda: not producer.connected)
        with pytest.raises(BusUnavailable):
            await producer.publish("t/1", b"{}", qos=0)


async def test_publishing_before_start_is_refused(mqtt_settings: SettingsFactory) -> None:
    with pytest.raises(BusUnavailable, match="not started"):
        await Bus(mqtt_settings(), service="sim").publish("t/1", b"{}")
