"""Commands: published to the device, settled by its ack, timed out without one. A real paho
client plays the device."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from chassis.testing import BrokerAddress
from contracts import topics
from contracts.devices import Command, CommandAck
from devices.tests.integration.conftest import DevicesApps, register


class Device:
    """A paho client subscribed to its commands; answers each with `ok` unless told to stay mute."""

    def __init__(self, broker: BrokerAddress, client_id: str, prefix: str, *, ok: bool) -> None:
        self.broker, self.prefix, self.ok = broker, prefix, ok
        self.received: list[Command] = []
        self.mute = False
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        self.client.on_message = self._on_command
        self.device_id = ""

    def connect(self, device_id: str) -> None:
        self.device_id = device_id
        host, port = self.broker.url.removeprefix("mqtt://").split(":")
        self.client.connect(host, int(port))
        self.client.subscribe(self.prefix + topics.commands(device_id), qos=1)
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_command(self, client: paho.Client, _userdata: Any, message: Any) -> None:
        command = Command.model_validate_json(message.payload)
        self.received.append(command)
        if self.mute:
            return
        ack = CommandAck(
            command_id=command.command_id,
            ok=self.ok,
            detail=None if self.ok else "unknown command",
            acked_at=datetime.now(UTC),
        )
        topic = self.prefix + topics.command_ack(self.device_id, command.command_id)
        client.publish(topic, ack.model_dump_json(), qos=1)


@pytest.fixture
def device_factory(
    mqtt_broker: BrokerAddress, mqtt_client_id: str, mqtt_namespace: str
) -> Iterator[Any]:
    made: list[Device] = []

    def make(ok: bool = True) -> Device:
        device = Device(
            mqtt_broker, f"{mqtt_client_id}-dev{len(made)}", f"{mqtt_namespace}/", ok=ok
        )
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()


async def command_status(
    client: httpx.AsyncClient, device: str, command: str, headers: dict[str, str], want: str
) -> dict[str, Any]:
    async with asyncio.timeout(10):
        for _ in itertools.count():
            got = await client.get(f"/v1/devices/{device}/commands/{command}", headers=headers)
            assert got.status_code == 200, got.text
            if got.json()["status"] == want:
                return dict(got.json())
            await asyncio.sleep(0.05)
    raise AssertionError("unreachable")


async def issue(client: httpx.AsyncClient, device: str, headers: dict[str, str]) -> str:
    body = {"name": "set_interval", "args": {"seconds": 5}}
    sent = await client.post(f"/v1/devices/{device}/commands", json=body, headers=headers)
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "pending"
    return str(sent.json()["id"])


async def test_a_command_acked_by_the_device_is_acknowledged(
    apps: DevicesApps, device_factory: Any, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device_id = await register(client, operator_headers)
        device = device_factory()
        device.connect(device_id)
        await asyncio.sleep(0.2)  # subscribed
        command = await issue(client, device_id, operator_headers)
        got = await command_status(client, device_id, command, operator_headers, "acknowledged")
    assert got["answered_at"] is not None
    assert [(c.name, c.args, str(c.command_id)) for c in device.received] == [
        ("set_interval", {"seconds": 5}, command)
    ]


async def test_a_command_the_device_refuses_is_failed_with_its_detail(
    apps: DevicesApps, device_factory: Any, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device_id = await register(client, operator_headers)
        device_factory(ok=False).connect(device_id)
        await asyncio.sleep(0.2)
        command = await issue(client, device_id, operator_headers)
        got = await command_status(client, device_id, command, operator_headers, "failed")
    assert got["detail"] == "unknown command"


async def test_a_command_without_an_ack_times_out_and_a_late_ack_changes_nothing(
    apps: DevicesApps,
    device_factory: Any,
    mqtt_namespace: str,
    operator_headers: dict[str, str],
) -> None:
    settings = apps.settings(commands={"timeout": 0.3, "sweep_interval": 0.05})
    async with apps.serving(settings) as client:
        device_id = await register(client, operator_headers)
        device = device_factory()
        device.mute = True
        device.connect(device_id)
        await asyncio.sleep(0.2)
        command = await issue(client, device_id, operator_headers)
        await command_status(client, device_id, command, operator_headers, "timed_out")
        late = CommandAck(command_id=int(command), ok=True)
        topic = f"{mqtt_namespace}/{topics.command_ack(device_id, command)}"
        device.client.publish(topic, late.model_dump_json(), qos=1).wait_for_publish(5)
        await asyncio.sleep(0.3)
        got = await command_status(client, device_id, command, operator_headers, "timed_out")
    assert got["detail"] == "no ack before the deadline"


async def test_a_command_to_an_unknown_device_is_404(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        sent = await client.post(
            "/v1/devices/123/commands", json={"name": "reboot"}, headers=operator_headers
        )
    assert sent.status_code == 404
    assert json.loads(sent.text)["status"] == 404
