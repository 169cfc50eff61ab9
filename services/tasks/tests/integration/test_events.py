"""Events out through the outbox to the broker; user.deactivated in, applied once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import anyio
from fastapi.testclient import TestClient

from chassis.db import Database
from chassis.mqtt import Bus, MqttSettings
from chassis.testing import BrokerAddress
from contracts import Event, topics
from contracts.tasks import TaskAssigned, TaskCompleted, TaskCreated, TaskStatusChanged
from contracts.users import UserDeactivated
from tasks.adapters.events import UserDeactivations

Headers = Callable[..., dict[str, str]]
# Every event tasks publishes: the listener below takes them all, each with its own data.
TaskEvent = (
    Event[TaskCreated] | Event[TaskAssigned] | Event[TaskStatusChanged] | Event[TaskCompleted]
)


def _eventually(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _deactivated(user_id: int, event_id: int) -> Event[UserDeactivated]:
    data = UserDeactivated(user_id=user_id, reason="left", deactivated_at=datetime.now(UTC))
    return Event.of(data, id=event_id, source="users")


def _assigned_task(app: TestClient, headers: dict[str, str], assignee: str) -> str:
    body = {"title": "Fix", "assignee_id": assignee}
    return str(app.post("/v1/tasks", json=body, headers=headers).json()["id"])


def test_completing_a_task_publishes_its_events_through_the_outbox(
    app: TestClient, as_user: Headers, mqtt_broker: BrokerAddress, mqtt_client_id: str
) -> None:
    received: list[Event[Any]] = []

    async def listen_while_completing() -> None:
        arrived = asyncio.Event()

        async def on_event(event: TaskEvent) -> None:
            received.append(event)
            arrived.set()

        settings = MqttSettings(url=mqtt_broker.url, client_id=f"{mqtt_client_id}-listener")
        bus = Bus(settings, service="probe", handlers={topics.event("tasks", "#"): on_event})
        await bus.start()
        try:
            await bus.wait_connected(10)
            task_id = await anyio.to_thread.run_sync(lambda: _complete(app, as_user()))
            async with asyncio.timeout(10):
                while {"task.status_changed", "task.completed"} - _types(received, task_id):
                    arrived.clear()
                    await arrived.wait()
        finally:
            await bus.stop()

    asyncio.run(listen_while_completing())


def _complete(app: TestClient, headers: dict[str, str]) -> int:
    task_id = app.post("/v1/tasks", json={"title": "Fix"}, headers=headers).json()["id"]
    for to in ("in_progress", "done"):
        app.post(f"/v1/tasks/{task_id}/transitions", json={"to": to}, headers=headers)
    return int(task_id)


def _types(events: list[Event[Any]], task_id: int) -> set[str]:
    return {e.type for e in events if getattr(e.data, "task_id", None) == task_id}


def test_a_deactivated_user_loses_their_open_tasks(
    app: TestClient, as_user: Headers, mqtt_broker: BrokerAddress, mqtt_client_id: str
) -> None:
    task_id = _assigned_task(app, as_user(), "7001")

    async def announce() -> None:
        settings = MqttSettings(url=mqtt_broker.url, client_id=f"{mqtt_client_id}-users")
        bus = Bus(settings, service="users")
        await bus.start()
        try:
            await bus.wait_connected(10)
            event = _deactivated(7001, 880001)
            await bus.publish(topics.event("users", "user.deactivated"), event)
        finally:
            await bus.stop()

    asyncio.run(announce())

    _eventually(
        lambda: app.get(f"/v1/tasks/{task_id}", headers=as_user()).json()["assignee_id"] is None
    )
    history = app.get(f"/v1/tasks/{task_id}/history", headers=as_user()).json()["items"]
    assert history[-1]["action"] == "unassigned"
    assert history[-1]["reason"] == "user 7001 was deactivated: left"


def test_a_redelivered_deactivation_changes_nothing_twice(
    app: TestClient, as_user: Headers
) -> None:
    task_id = _assigned_task(app, as_user(), "7002")
    handler = UserDeactivations(app.app.state.components.get(Database))  # type: ignore[attr-defined]
    event = _deactivated(7002, 880002)

    async def deliver_twice() -> None:
        await handler.handle(event)
        await handler.handle(event)

    app.portal.call(deliver_twice)  # type: ignore[union-attr]

    history = app.get(f"/v1/tasks/{task_id}/history", headers=as_user()).json()["items"]
    assert [e["action"] for e in history].count("unassigned") == 1
