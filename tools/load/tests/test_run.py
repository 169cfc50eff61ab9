"""The runner end to end: `python -m load` runs locust for real against a fake fleet's HTTP
APIs and a private MQTT broker, on 127.0.0.1 only, and stops by itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from chassis.local import PrivateBroker, free_port
from load.tests.fake_fleet import FakeFleet

PASSWORD = "load-test-password"


@pytest.fixture
def fake_fleet() -> Iterator[FakeFleet]:
    fleet = FakeFleet(free_port(), PASSWORD)
    fleet.start()
    yield fleet
    fleet.stop()


def load(tmp_path: Path, fleet_url: str, broker_url: str, *options: str) -> CompletedProcess[str]:
    """`python -m load` aimed at `fleet_url` for users, tasks and devices, and `broker_url`."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(os.path.abspath(p) for p in sys.path),
        "FLEET_ROOT": str(tmp_path),  # no state file there: a fleet running here is not used
        "FLEET_USERS_URL": fleet_url,
        "FLEET_TASKS_URL": fleet_url,
        "FLEET_DEVICES_URL": fleet_url,
        "FLEET_MQTT_URL": broker_url,
        "FLEET_DEMO_PASSWORD": PASSWORD,
    }
    command = [sys.executable, "-m", "load", *options, "--out", str(tmp_path / "load")]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_a_run_writes_its_reports_prints_the_figures_and_passes(
    fake_fleet: FakeFleet, private_broker: PrivateBroker, tmp_path: Path
) -> None:
    broker = private_broker.address.url
    result = load(tmp_path, fake_fleet.url, broker, "--users", "2", "--duration", "4s")
    out = tmp_path / "load"

    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
    # What every run does (the operator's tasks are picked at random, too few to count on here).
    for name in ("/v1/auth/token", "/v1/devices", "MQTT  connect", "fleet/devices/{id}/telemetry"):
        assert name in result.stdout
    assert (out / "load_stats.csv").exists()
    assert (out / "report.html").stat().st_size > 0


def test_refuses_to_start_when_nothing_answers(tmp_path: Path) -> None:
    closed = f"127.0.0.1:{free_port()}"

    result = load(tmp_path, f"http://{closed}", f"mqtt://{closed}", "--duration", "5m")

    assert result.returncode == 2
    assert f"nothing answers at http://{closed}, mqtt://{closed}" in result.stderr
    assert not (tmp_path / "load").exists()


def test_the_runner_leaves_locust_and_gevent_to_their_own_process() -> None:
    import load.cli  # noqa: F401 (imported for its imports)

    assert "locust" not in sys.modules
    assert "gevent" not in sys.modules  # its monkey-patching would change this process
