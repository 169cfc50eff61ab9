"""The fleet's main flows under load, for locust: `python -m load` runs it (or `locust -f` it).

Half the users are operators: they log in once, open tasks, list them, move the ones they opened
open -> in_progress -> done, and register a device now and then. The other half are devices: an
operator registers each one over HTTP, then it publishes a reading a second over MQTT (QoS 1),
timed until the broker's PUBACK. Request names group ids (`/v1/tasks/{id}/transitions`), so the
stats have one row per endpoint.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import deque
from functools import cache
from pathlib import Path
from typing import Any

from locust import User, between, constant_pacing, events, task
from locust.clients import HttpSession
from locust.env import Environment
from locust.stats import CSV_STATS_INTERVAL_SEC

from load.target import FleetTarget
from load.telemetry import LinkDown, TelemetryLink

# The status machine's way to done (tasks' workflow): each move is one request.
NEXT_STATUS = {"open": "in_progress", "in_progress": "done"}
MQTT_TIMEOUT = 10.0  # seconds for a CONNACK or a PUBACK before the request counts as failed


@cache
def fleet() -> FleetTarget:
    # Read when the first user starts, not at import: `locust --help` needs no fleet.
    return FleetTarget.from_env(os.environ, Path.cwd())


class Account:
    """A demo account's bearer token, fetched again shortly before it expires."""

    def __init__(self, users: HttpSession, username: str) -> None:
        self.users = users
        self.username = username
        self._headers: dict[str, str] | None = None
        self._renew_at = 0.0

    def headers(self) -> dict[str, str] | None:
        """The Authorization header, logging in first if needed; None if the login failed."""
        if self._headers is None or time.monotonic() >= self._renew_at:
            self._log_in()
        return self._headers

    def _log_in(self) -> None:
        form = {"grant_type": "password", "username": self.username, "password": fleet().password}
        response = self.users.post("/v1/auth/token", data=form, name="/v1/auth/token")
        if not response.ok:
            self._headers = None
            return
        token = response.json()
        self._headers = {"Authorization": f"Bearer {token['access_token']}"}
        self._renew_at = time.monotonic() + max(token["expires_in"] - 60, 1)


def _session(user: User, base_url: str) -> HttpSession:
    return HttpSession(base_url, request_event=user.environment.events.request, user=user)


def _register_device(devices: HttpSession, auth: dict[str, str]) -> str | None:
    """Register a device (no thresholds: load readings must never open alarm tasks); its id."""
    body = {"name": f"load-{uuid.uuid4().hex[:12]}", "kind": "sensor", "site": "load"}
    headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    response = devices.post("/v1/devices", json=body, headers=headers, name="/v1/devices")
    return str(response.json()["id"]) if response.ok else None


class Operator(User):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.users_api = _session(self, fleet().users)
        self.tasks_api = _session(self, fleet().tasks)
        self.devices_api = _session(self, fleet().devices)
        self.account = Account(self.users_api, "operator")
        self.open_tasks: deque[tuple[str, str]] = deque()  # (id, status) of tasks to move on
        self.account.headers()

    @task(4)
    def list_tasks(self) -> None:
        if auth := self.account.headers():
            self.tasks_api.get("/v1/tasks", params={"limit": 20}, headers=auth, name="/v1/tasks")

    @task(2)
    def open_task(self) -> None:
        if not (auth := self.account.headers()):
            return
        body = {"title": "load test: inspect pump", "priority": "normal", "labels": ["load"]}
        headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
        response = self.tasks_api.post("/v1/tasks", json=body, headers=headers, name="/v1/tasks")
        if response.ok:
            self.open_tasks.append((str(response.json()["id"]), "open"))

    @task(2)
    def move_task(self) -> None:
        if not self.open_tasks or not (auth := self.account.headers()):
            return
        task_id, status = self.open_tasks.popleft()
        to = NEXT_STATUS[status]
        response = self.tasks_api.post(
            f"/v1/tasks/{task_id}/transitions",
            json={"to": to},
            headers=auth,
            name="/v1/tasks/{id}/transitions",
        )
        if response.ok and to in NEXT_STATUS:
            self.open_tasks.append((task_id, to))

    @task(1)
    def register_device(self) -> None:
        if auth := self.account.headers():
            _register_device(self.devices_api, auth)


class Device(User):
    wait_time = constant_pacing(1.0)  # one reading a second, however long a publish takes

    def on_start(self) -> None:
        self.link: TelemetryLink | None = None
        auth = Account(_session(self, fleet().users), "operator").headers()
        device_id = _register_device(_session(self, fleet().devices), auth) if auth else None
        if device_id is None:
            return  # counted as a failed login or registration; this device stays silent
        link = TelemetryLink(fleet().broker, device_id, client_id=f"load-{device_id}")
        started = time.perf_counter()
        try:
            link.connect(MQTT_TIMEOUT)
        except (LinkDown, OSError) as exc:
            self._record("connect", started, 0, exc)
            return
        self._record("connect", started, 0, None)
        self.link = link

    @task
    def publish_reading(self) -> None:
        if self.link is None:
            return
        started = time.perf_counter()
        try:
            size = self.link.publish_reading(MQTT_TIMEOUT)
        except LinkDown as exc:
            self._record("fleet/devices/{id}/telemetry", started, 0, exc)
        else:
            self._record("fleet/devices/{id}/telemetry", started, size, None)

    def on_stop(self) -> None:
        if self.link is not None:
            self.link.close()

    def _record(self, name: str, started: float, size: int, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="MQTT",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=size,
            exception=error,
            context={},
        )


def _let_the_csv_catch_up(environment: Environment, **_kwargs: Any) -> None:
    # Locust rewrites the stats CSV once a second and not again at shutdown: wait one more round
    # (a gevent-patched sleep) so the CSV the verdict reads holds the last second's requests too.
    time.sleep(CSV_STATS_INTERVAL_SEC + 0.2)


events.test_stop.add_listener(_let_the_csv_catch_up)  # type: ignore[no-untyped-call]
