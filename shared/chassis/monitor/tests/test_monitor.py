"""The monitor: a live page per service, and its data as JSON for the fleet monitor."""

import os
import subprocess
import sys

import httpx
from fastapi.testclient import TestClient

from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings
from chassis.auth import JwksKeySet
from chassis.lifecycle import Component, Health
from chassis.local import wait_for_port
from chassis.metrics import fleet_metrics
from chassis.monitor import Rates
from chassis.testing import run_alone
from chassis.testing.tokens import TokenIssuer


class DownBroker(Component):
    name = "broker"

    def health(self) -> Health:
        return Health.down("connection refused", breaker="open")


def test_monitor_page_is_served_as_html_by_the_running_service(free_port: int) -> None:
    # A real process: NiceGUI is process-global, and this is how operators meet the page.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    service = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chassis.app.tests.example_service",
            "serve",
            "--port",
            str(free_port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_port("127.0.0.1", free_port, timeout=30)
        response = httpx.get(f"http://127.0.0.1:{free_port}/monitor/", timeout=10)
    finally:
        service.terminate()
        service.wait(timeout=15)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "greeter monitor" in response.text
    assert "Log in as an operator or admin" in response.text
    assert "Last log lines" not in response.text  # nothing of the service before the login


_OPEN_THE_PAGE = """
import sys
from fastapi.testclient import TestClient
from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings

with TestClient(create_app(GreeterSettings())) as client:
    print("before:", "nicegui" in sys.modules)
    page = client.get("/monitor/")
    shown = "Log in as an operator" in page.text
    print("after:", "nicegui" in sys.modules, page.status_code, shown)
"""


def test_nicegui_is_loaded_only_when_the_page_is_first_opened() -> None:
    # A process of its own: NiceGUI, once imported, stays for the process's life.
    run = run_alone(_OPEN_THE_PAGE)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith(("before:", "after:"))]
    assert lines == ["before: False", "after: True 200 True"], run.stdout + run.stderr


def test_snapshot_reports_dependencies_rates_and_log_lines(token_issuer: TokenIssuer) -> None:
    keys = JwksKeySet(token_issuer.auth_settings())
    app = create_app(GreeterSettings(), components=[DownBroker(), keys])
    operator = {"Authorization": f"Bearer {token_issuer.mint(subject='7', role='operator')}"}
    with TestClient(app) as client:
        client.get("/monitor/snapshot", headers=operator)
        client.get("/v1/nothing-here")
        snapshot = client.get("/monitor/snapshot", headers=operator).json()
    assert snapshot["service"] == "greeter"
    assert snapshot["readiness"]["status"] == "not_ready"
    broker = snapshot["readiness"]["dependencies"]["broker"]
    assert broker == {
        "status": "down",
        "required": True,
        "detail": "connection refused",
        "info": {"breaker": "open"},
    }
    assert snapshot["rates"]["requests"] > 0
    assert any("GET /v1/nothing-here 404" in line for line in snapshot["log_lines"])


def test_rates_are_the_change_per_second_between_samples() -> None:
    rates = Rates()
    assert rates.sample()["retries"] == 0.0
    fleet_metrics().retries.labels("users").inc(5)
    assert rates.sample()["retries"] > 0.0
    assert rates.sample()["retries"] == 0.0
