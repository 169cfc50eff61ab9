"""The monitor as operators meet it: real processes, real broker, real headless Chromium."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from chassis.local import BrokerAddress, free_port
from chassis.testing.browser import keep_artifact, launch_chromium, needs_chromium
from chassis.testing.tokens import TokenIssuer
from fleet_monitor.tests.processes import running, stand_in_service

pytestmark = needs_chromium


def _until(check: Callable[[], Any], what: str, within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _fleet_json(port: int) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"http://127.0.0.1:{port}/fleet.json", timeout=5).json()
    return body


def _publish_envelope(broker: BrokerAddress, topic: str, correlation_id: str) -> None:
    from paho.mqtt.client import Client
    from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

    envelope = {
        "id": "7",
        "type": "task.completed",
        "version": 1,
        "occurred_at": "2025-01-01T12:00:00+00:00",
        "source": "tasks",
        "correlation_id": correlation_id,
        "data": {"task_id": "7"},
    }
    client = Client(CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv311)
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    client.connect(broker.host, broker.port)
    client.loop_start()
    client.publish(topic, json.dumps(envelope), qos=1).wait_for_publish(timeout=10)
    client.disconnect()
    client.loop_stop()


def _traffic(url: str, stop: threading.Event) -> None:
    """Requests to a stand-in service, so its req/s on the page is live data, not a zero."""
    with httpx.Client(timeout=5) as client:
        while not stop.is_set():
            client.get(url)
            stop.wait(0.05)


def test_the_page_shows_services_and_bus_events_live(
    tmp_path: Path, mqtt_broker: BrokerAddress, mqtt_namespace: str, token_issuer: TokenIssuer
) -> None:
    from playwright.sync_api import expect, sync_playwright

    users, tasks, devices, monitor = (free_port() for _ in range(4))
    correlation_id = f"corr-{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        jwks = token_issuer.jwks_url
        stack.enter_context(stand_in_service(users, tmp_path / "users.log", jwks))
        stack.enter_context(stand_in_service(tasks, tmp_path / "tasks.log", jwks))
        # The monitor's service account: the services' snapshots are not for anonymous callers.
        account = token_issuer.mint(subject="fleet-monitor", role="service")
        # devices points at a port nothing listens on: the page must show it down, not crash.
        stack.enter_context(
            running(
                [
                    "fleet_monitor",
                    "serve",
                    f"--port={monitor}",
                    "--service",
                    f"users=http://127.0.0.1:{users}",
                    "--service",
                    f"tasks=http://127.0.0.1:{tasks}",
                    "--service",
                    f"devices=http://127.0.0.1:{devices}",
                    f"--broker={mqtt_broker.url}",
                    f"--events={mqtt_namespace}/fleet/events/#",
                    "--refresh=0.5",
                ],
                monitor,
                tmp_path / "monitor.log",
                {"FLEET_MONITOR_TOKEN": account},
            )
        )
        _until(lambda: _fleet_json(monitor)["bus"]["connected"], "the bus tail to connect")
        stop = threading.Event()
        stack.callback(stop.set)
        threading.Thread(
            target=_traffic, args=(f"http://127.0.0.1:{users}/v1/greetings/operator", stop)
        ).start()
        _publish_envelope(
            mqtt_broker, f"{mqtt_namespace}/fleet/events/tasks/task.completed", correlation_id
        )

        with sync_playwright() as playwright:
            browser = launch_chromium(
                playwright, tmp_path / "chromium-profile", viewport={"width": 1280, "height": 1400}
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{monitor}/", wait_until="networkidle")
            for name in ("users", "tasks"):
                card = page.get_by_test_id(f"service-{name}")
                expect(card).to_contain_text("up", timeout=15_000)
                expect(card).to_contain_text("ready", timeout=15_000)
                expect(card).to_contain_text("req/s", timeout=15_000)
            # The traffic above: a rate of at least 1 request a second on users' card.
            expect(page.get_by_test_id("service-users")).to_contain_text(
                re.compile(r"req/s [1-9]"), timeout=15_000
            )
            expect(page.get_by_test_id("service-devices")).to_contain_text("connection refused")
            # No service serves a device registry yet (devices is down): the panel waits for one.
            expect(page.get_by_test_id("devices")).to_contain_text(
                "no service of the fleet serves /v1/devices (yet"
            )
            expect(page.get_by_text(correlation_id)).to_be_visible(timeout=15_000)
            expect(page.get_by_text("task.completed").first).to_be_visible()
            # Live: the poll time on the page moves on without a reload.
            polled = page.get_by_text("polled ")
            first = polled.inner_text()
            expect(polled).not_to_have_text(first, timeout=10_000)
            screenshot = tmp_path / "fleet-monitor.png"
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()

    assert screenshot.stat().st_size > 10_000
    keep_artifact(screenshot)
