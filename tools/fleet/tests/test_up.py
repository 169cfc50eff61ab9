"""`fleet up` for real: every service's pex on free ports with a private broker, ready, then
Ctrl-C stops everything and leaves no process behind. Also the proof that each pex `./pants
package` builds (the one each image runs) starts and answers /health/ready."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx

from chassis.local import free_port
from fleet.control import stop_leftovers
from fleet.state import FleetState, is_alive
from fleet.tests.checkout import ROOT

READY_WITHIN = 80.0


def test_up_serves_every_service_and_ctrl_c_stops_them_all(dist: Path, tmp_path: Path) -> None:
    names = sorted(p.parent.name.removeprefix("services.") for p in dist.glob("services.*/pex.pex"))
    for name in names:  # the fleet's root holds the descriptors: what each service calls
        (tmp_path / "services" / name).mkdir(parents=True)
        shutil.copy(ROOT / "services" / name / "service.toml", tmp_path / "services" / name)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(os.path.abspath(p) for p in sys.path),
        "FLEET_ROOT": str(tmp_path),
        "FLEET_DIST_DIR": str(dist),
        "FLEET_SERVICES": ",".join(names),
        "FLEET_MONITOR_PORT": str(free_port()),
        "FLEET_DEMO_PASSWORD": "integration-test-password",
        "FLEET_READY_TIMEOUT": "60",
        "FLEET_GRACE_PERIOD": "5",
        **{f"FLEET_{name.upper()}_PORT": str(free_port()) for name in names},
    }
    env.pop("FLEET_DATABASE_URL", None)
    env.pop("FLEET_MQTT_URL", None)
    runner = subprocess.Popen(
        [sys.executable, "-m", "fleet.cli", "up"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + READY_WITHIN
        assert runner.stdout is not None
        for line in runner.stdout:
            output.append(line)
            # A crash is not the end: the runner restarts (a free port another test took
            # in between shows as one), and readiness waits for it.
            if "fleet ready in" in line or time.monotonic() > deadline:
                break
        assert any("fleet ready in" in line for line in output), "".join(output[-40:])
        state = json.loads((tmp_path / ".fleet" / "fleet.json").read_text())
        for name in names:
            answer = httpx.get(f"{state['services'][name]}/health/ready", timeout=5)
            assert answer.status_code == 200, (name, answer.text)
        monitor = f"http://127.0.0.1:{env['FLEET_MONITOR_PORT']}"
        assert httpx.get(f"{monitor}/health/live").status_code == 200
        # The monitor listens before the services start: the demo data's requests are kept.
        roots = _trace_roots(monitor)
        assert {"POST /v1/users", "POST /v1/auth/token"} <= roots, roots
        # Every service traces to the monitor: its polls of the devices API, the readings.
        traced = _traced_services(monitor, within=30)
        assert "devices" in traced, traced
        assert "simulator" in state["pids"]
        broker_port = int(state["broker"].rsplit(":", 1)[1])

        runner.send_signal(signal.SIGINT)
        rest, _ = runner.communicate(timeout=30)
        output.append(rest)
        assert runner.returncode == 0, "".join(output[-40:])
        assert "fleet stopped" in rest
        assert not [n for n, pid in state["pids"].items() if is_alive(pid)]
        assert not _listening(broker_port)
        assert not (tmp_path / ".fleet" / "fleet.json").exists()
        # Every export reached the monitor, from the first span to the last at the stop.
        assert not _exporter_complaints("".join(output))
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        # A runner killed mid-way leaves its services (each in its own session): stop them.
        left = FleetState.read(tmp_path / ".fleet" / "fleet.json")
        if left is not None:
            stop_leftovers(left)
        if runner.stdout is not None:
            runner.stdout.close()


def test_every_service_pex_carries_the_postgres_driver(dist: Path) -> None:
    # SQLAlchemy imports it by URL scheme, out of Pants' sight: compose and Kubernetes need it.
    for pex in dist.glob("services.*/pex.pex"):
        with zipfile.ZipFile(pex) as archive:
            assert any("/psycopg/" in name for name in archive.namelist()), pex


def _traced_services(monitor: str, within: float) -> set[str]:
    """The services whose spans the monitor has received, once it has any (or at `within`)."""
    deadline = time.monotonic() + within
    while True:
        traces = httpx.get(f"{monitor}/traces.json", timeout=5).json()["traces"]
        services = {name for trace in traces for name in trace["services"]}
        if "devices" in services or time.monotonic() > deadline:
            return services
        time.sleep(0.5)


def _exporter_complaints(output: str) -> list[str]:
    """The span exporter's warnings and errors (a receiver it could not reach) in `output`."""
    return [
        line
        for line in output.splitlines()
        if "[OPENTELEMETRY]" in line and ("WARNING" in line or "ERROR" in line)
    ]


def _trace_roots(monitor: str) -> set[str]:
    traces = httpx.get(f"{monitor}/traces.json", timeout=5).json()["traces"]
    return {trace["root"] for trace in traces}


def _listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}", timeout=1)
    except httpx.ConnectError:
        return False
    except httpx.HTTPError:
        return True
    return True
