"""Alarms end to end: raised once under hysteresis, a task opened once despite a flaky tasks
service, resolved by task.completed. Tasks and users' token endpoint are real local stand-ins."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from chassis.context import correlation_id
from chassis.db import next_id
from chassis.mqtt import Bus, DedicatedConnection
from chassis.testing import BrokerAddress, FlakyServer
from contracts import Event, topics
from contracts.devices import AlarmRaised, AlarmResolved
from contracts.tasks import TaskCompleted
from devices.tests.integration.conftest import DevicesApps, device_bus, register, until

HOT = {"temperature": {"high": 80, "high_clear": 75}}


@pytest.fixture
def task_id() -> str:
    return str(next_id())  # unique: the test database is shared by the tests


@pytest.fixture
def tasks_server(task_id: str) -> Iterator[FlakyServer]:
    with FlakyServer() as server:
        server.answer(201, {"id": task_id, "status": "open"})
        yield server


@pytest.fixture
def users_server() -> Iterator[FlakyServer]:
    with FlakyServer() as server:
        server.answer(200, {"access_token": "svc-token", "token_type": "bearer", "expires_in": 900})
        yield server


@pytest.fixture
def settings_with_stand_ins(
    apps: DevicesApps, tasks_server: FlakyServer, users_server: FlakyServer
) -> Any:
    quick = {"max_attempts": 2, "backoff_initial": 0.01, "backoff_max": 0.05, "deadline": 3}
    return apps.settings(
        tasks={"base_url": tasks_server.url, "breaker_fail_max": 50, **quick},
        users={"base_url": users_server.url, **quick},
        account={"client_id": "devices", "client_secret": "s3cret"},
        alarms={"retry_interval": 0.1},
    )


async def send(sim: Bus, namespace: str, device: str, *values: float) -> None:
    for n, value in enumerate(values):
        body = {"ts": 1_717_243_200 + n, "metrics": {"temperature": value}}
        await sim.publish(f"{namespace}/{topics.telemetry(device)}", json.dumps(body).encode())


async def alarms_of(client: httpx.AsyncClient, device: str, headers: dict[str, str]) -> Any:
    got = await client.get("/v1/alarms", params={"device": device}, headers=headers)
    assert got.status_code == 200, got.text
    return got.json()["items"]


async def until_alarm(
    client: httpx.AsyncClient, device: str, headers: dict[str, str], **expected: Any
) -> dict[str, Any]:
    """The first alarm of `device` with the `expected` fields, once there is one."""
    async with asyncio.timeout(15):
        for _ in itertools.count():
            for alarm in await alarms_of(client, device, headers):
                if all(alarm.get(k) == v for k, v in expected.items()):
                    return dict(alarm)
            await asyncio.sleep(0.05)
    raise AssertionError("unreachable")


async def test_a_breach_raises_one_alarm_until_the_value_clears(
    apps: DevicesApps,
    settings_with_stand_ins: Any,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
) -> None:
    async with (
        apps.serving(settings_with_stand_ins) as client,
        device_bus(mqtt_broker.url, mqtt_client_id) as sim,
    ):
        device = await register(client, operator_headers, thresholds=HOT)
        await send(sim, mqtt_namespace, device, 70, 81, 85, 78, 90, 79)
        await until_alarm(client, device, operator_headers)
        await asyncio.sleep(0.3)
        assert len(await alarms_of(client, device, operator_headers)) == 1
        await send(sim, mqtt_namespace, device, 74, 82)  # redelivered old readings: no effect
        await asyncio.sleep(0.5)
        assert len(await alarms_of(client, device, operator_headers)) == 1
        later = {"ts": 1_717_243_300, "metrics": {"temperature": 74.0}}
        topic = f"{mqtt_namespace}/{topics.telemetry(device)}"
        await sim.publish(topic, json.dumps(later).encode())
        later = {"ts": 1_717_243_301, "metrics": {"temperature": 82.0}}
        await sim.publish(topic, json.dumps(later).encode())
        second = await until_alarm(client, device, operator_headers, value=82.0)
        assert second["threshold"] == 80.0
        assert len(await alarms_of(client, device, operator_headers)) == 2


async def test_an_alarm_gets_one_task_though_tasks_fails_the_first_calls(
    apps: DevicesApps,
    settings_with_stand_ins: Any,
    task_id: str,
    tasks_server: FlakyServer,
    users_server: FlakyServer,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
) -> None:
    tasks_server.fail(503, times=5)
    async with (
        apps.serving(settings_with_stand_ins) as client,
        device_bus(mqtt_broker.url, mqtt_client_id) as sim,
    ):
        device = await register(client, operator_headers, thresholds=HOT)
        await send(sim, mqtt_namespace, device, 91)
        alarm = await until_alarm(client, device, operator_headers, task_id=task_id)
        asked = len(tasks_server.requests)
        await asyncio.sleep(0.4)
        assert len(tasks_server.requests) == asked  # once the task is stored, nobody asks again
    posts = [r for r in tasks_server.requests if r.method == "POST"]
    # Five refused, then answered; under load a round already in flight may ask once more,
    # with the same key, so tasks still opens one task.
    assert len(posts) in (6, 7)
    assert {r.headers["idempotency-key"] for r in posts} == {alarm["id"]}
    assert {r.headers["authorization"] for r in posts} == {"Bearer svc-token"}
    assert len(users_server.requests) == 1  # the token is cached
    assert json.loads(posts[-1].body) == {
        "title": f"temperature alarm on device {device}",
        "description": "temperature read 91 at 2024-06-01T12:00:00+00:00, past its threshold 80.",
        "priority": "high",
        "source": "alarm",
        "device_id": device,
        "alarm_id": alarm["id"],
    }
    assert b"grant_type=client_credentials" in users_server.requests[0].body


async def test_task_completed_resolves_the_linked_alarm_once(
    apps: DevicesApps,
    settings_with_stand_ins: Any,
    task_id: str,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
) -> None:
    resolved: list[Event[AlarmResolved]] = []

    async def on_resolved(event: Event[AlarmResolved]) -> None:
        resolved.append(event)

    listen = {f"{mqtt_namespace}/{topics.event('devices', 'device.alarm.resolved')}": on_resolved}
    async with (
        apps.serving(settings_with_stand_ins) as client,
        device_bus(mqtt_broker.url, mqtt_client_id, listen) as sim,
    ):
        device = await register(client, operator_headers, thresholds=HOT)
        await send(sim, mqtt_namespace, device, 91)
        alarm = await until_alarm(client, device, operator_headers, task_id=task_id)
        done = TaskCompleted(task_id=int(task_id), completed_at=datetime.now(UTC))
        event = Event.of(done, id=next_id(), source="tasks")
        completed = f"{mqtt_namespace}/{topics.event('tasks', 'task.completed')}"
        for _ in range(2):  # at least once: the second is a redelivery
            await sim.publish(completed, event)
        got = await until_alarm(client, device, operator_headers, state="resolved")
        await until(lambda: len(resolved) >= 1)
        await asyncio.sleep(0.3)
    assert got["resolved_at"] is not None
    assert [e.data.alarm_id for e in resolved] == [int(alarm["id"])]


async def test_the_alarm_event_and_the_task_call_carry_the_correlation_id_of_the_reading(
    apps: DevicesApps,
    settings_with_stand_ins: Any,
    task_id: str,
    tasks_server: FlakyServer,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
) -> None:
    raised: list[Event[AlarmRaised]] = []

    async def on_raised(event: Event[AlarmRaised]) -> None:
        raised.append(event)

    # A device that sends a correlation id does so as an MQTT 5 user property, which a 3.1.1
    # telemetry connection (the default, for speed) never sees.
    ingest = settings_with_stand_ins.ingest
    mqtt_5 = ingest.model_copy(update={"connection": DedicatedConnection(protocol="5")})
    settings = settings_with_stand_ins.model_copy(update={"ingest": mqtt_5})
    listen = {f"{mqtt_namespace}/{topics.event('devices', 'device.alarm.raised')}": on_raised}
    async with (
        apps.serving(settings) as client,
        device_bus(mqtt_broker.url, mqtt_client_id, listen) as sim,
    ):
        device = await register(client, operator_headers, thresholds=HOT)
        await send(sim, mqtt_namespace, device, 70)  # another piece of work: no alarm
        token = correlation_id.set("reading-4711")
        try:
            await send(sim, mqtt_namespace, device, 91)  # the reading that crosses the line
        finally:
            correlation_id.reset(token)
        await until_alarm(client, device, operator_headers, task_id=task_id)
        await until(lambda: len(raised) >= 1)
    [event] = raised
    assert event.correlation_id == "reading-4711"
    posts = [r for r in tasks_server.requests if r.method == "POST"]
    assert {r.headers["x-request-id"] for r in posts} == {"reading-4711"}
