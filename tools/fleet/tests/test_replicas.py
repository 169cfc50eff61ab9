"""`fleet up --replicas tasks=2,devices=2` for real, on PostgreSQL: replicas share their
service's port as pods share a Service, each has a slot of its own, a killed one costs only the
requests it was serving and is started again, and devices replicas split the telemetry."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion

from chassis.testing.ports import free_port
from fleet.control import stop_leftovers
from fleet.state import FleetState, is_alive
from fleet.tests.checkout import ROOT

SERVER = os.environ.get("FLEET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "replica-test-password"
NAMES = ("users", "tasks", "devices")


@dataclass
class Fleet:
    root: Path
    output: list[str]
    prefix: str

    @property
    def state(self) -> FleetState:
        state = FleetState.read(self.root / ".fleet" / "fleet.json")
        assert state is not None
        return state

    def url(self, name: str) -> str:
        return self.state.services[name]

    def token(self) -> str:
        answer = httpx.post(
            f"{self.url('users')}/v1/auth/token",
            data={"username": "operator", "password": PASSWORD},
            timeout=10,
        )
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token


@pytest.fixture(scope="module")
def fleet(dist_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("fleet")
    for name in NAMES:
        (root / "services" / name).mkdir(parents=True)
        shutil.copy(ROOT / "services" / name / "service.toml", root / "services" / name)
    prefix = f"replicas_{uuid.uuid4().hex[:8]}_"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(os.path.abspath(p) for p in sys.path),
        "FLEET_ROOT": str(root),
        "FLEET_DIST_DIR": str(dist_dir),
        "FLEET_SERVICES": ",".join(NAMES),
        "FLEET_DATABASE_URL": SERVER,
        "FLEET_DATABASE_PREFIX": prefix,
        "FLEET_MONITOR_PORT": str(free_port()),
        "FLEET_DEMO_PASSWORD": PASSWORD,
        "FLEET_READY_TIMEOUT": "60",
        "FLEET_GRACE_PERIOD": "5",
        **{f"FLEET_{name.upper()}_PORT": str(free_port()) for name in NAMES},
    }
    env.pop("FLEET_MQTT_URL", None)
    runner = subprocess.Popen(
        [sys.executable, "-m", "fleet.cli", "up", "--replicas", "tasks=2,devices=2"],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    assert runner.stdout is not None
    stream = runner.stdout
    ready = threading.Event()

    def read() -> None:  # keep the pipe drained while the tests run
        for line in stream:
            output.append(line)
            if "fleet ready in" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(90), "".join(output[-40:])
        yield Fleet(root, output, prefix)
    finally:
        runner.send_signal(signal.SIGINT)
        try:
            runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            runner.kill()
            runner.wait()
        left = FleetState.read(root / ".fleet" / "fleet.json")
        if left is not None:
            stop_leftovers(left)
        reader.join(5)
        stream.close()
        _drop_databases(prefix)


@pytest.fixture(scope="module")
def dist_dir() -> Path:
    candidates = (Path.cwd(), Path(__file__).resolve().parents[3] / "dist")
    found = next((d for d in candidates if any(d.glob("services.*/pex.pex"))), None)
    if found is None:
        pytest.skip("no service pex: ./pants package services/users:pex ... first")
    return found


def test_every_replica_runs_as_a_process_of_its_own(fleet: Fleet) -> None:
    pids = fleet.state.pids
    assert {"users", "tasks-0", "tasks-1", "devices-0", "devices-1"} <= set(pids)
    assert pids["tasks-0"] != pids["tasks-1"]
    assert all(is_alive(pid) for pid in pids.values())


def test_both_tasks_replicas_answer_on_the_one_port(fleet: Fleet) -> None:
    seen = {_client_id(fleet.url("tasks")) for _ in range(40)}  # a new connection each
    host = re.escape(os.uname().nodename)
    assert len(seen) == 2, seen
    assert all(re.fullmatch(f"tasks-{host}-[01]", client_id) for client_id in seen), seen


def test_a_killed_tasks_replica_costs_only_its_requests_in_flight_and_is_restarted(
    fleet: Fleet,
) -> None:
    token = fleet.token()
    workers, results = 8, []
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
            while not stop.is_set():
                try:
                    ok = client.get(f"{fleet.url('tasks')}/v1/tasks?limit=1").status_code == 200
                except httpx.HTTPError:
                    ok = False
                results.append(ok)

    threads = [threading.Thread(target=load) for _ in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    victim = fleet.state.pids["tasks-1"]
    os.kill(victim, signal.SIGKILL)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(15)
    failed = results.count(False)
    assert len(results) > 100, len(results)
    # Each client loses at most what the killed replica held for it: its request in flight and a
    # connection the kernel had already queued on that replica's socket (seen: 9 with 8 clients).
    assert failed <= 2 * workers, f"{failed} of {len(results)} requests failed"
    restarted = _within(15, lambda: fleet.state.pids.get("tasks-1") not in (None, victim))
    assert restarted, "".join(fleet.output[-20:])
    assert any("tasks-1 CRASHED" in line for line in fleet.output)
    assert _within(30, lambda: len({_client_id(fleet.url("tasks")) for _ in range(30)}) == 2)


def test_devices_replicas_store_each_reading_once_between_them(fleet: Fleet) -> None:
    token = fleet.token()
    devices = httpx.get(
        f"{fleet.url('devices')}/v1/devices",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    device_id = devices.json()["items"][0]["id"]
    sent = 2000
    start = time.time() - 60
    publisher = Client(CallbackAPIVersion.VERSION2, client_id=f"replicas-{uuid.uuid4().hex[:8]}")
    host, port = fleet.state.broker.removeprefix("mqtt://").rsplit(":", 1)
    publisher.connect(host, int(port))
    publisher.loop_start()
    try:
        infos = [
            publisher.publish(
                f"fleet/devices/{device_id}/telemetry",
                json.dumps({"ts": start + i / 1000, "metrics": {"replica_check": i}}),
                qos=1,
            )
            for i in range(sent)
        ]
        for info in infos:
            info.wait_for_publish(10)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
    assert _within(30, lambda: _stored(fleet.prefix, device_id) == sent)
    received = _received_per_replica(fleet.url("devices"))
    assert len(received) == 2, received  # both took a share ...
    assert sum(received.values()) >= sent  # ... (the simulator's readings come on top)
    assert all(0 < count < sent for count in received.values()), received  # never all of it


def _client_id(url: str) -> str:
    with httpx.Client(timeout=5) as client:  # its own connection: the kernel picks a replica
        readiness = client.get(f"{url}/health/ready").text
    found = re.search(r'"client_id":\s*"([^"]+)"', readiness)  # the bus's, in its check
    assert found is not None, readiness
    return found.group(1)


def _received_per_replica(url: str) -> dict[str, float]:
    """Telemetry messages handled, per replica: its readiness (its client id) and its metrics
    asked on one kept-alive connection, so of one replica."""
    counts: dict[str, float] = {}
    for _ in range(40):
        with httpx.Client(timeout=5) as client:
            readiness = client.get(f"{url}/health/ready").text
            text = client.get(f"{url}/metrics").text
        client_id = re.search(r'"client_id":\s*"([^"]+)"', readiness)
        handled = re.findall(
            r"^fleet_mqtt_messages_received_total\{[^}]*telemetry[^}]*\} (\S+)$", text, re.M
        )
        if client_id is not None:
            counts[client_id.group(1)] = sum(float(v) for v in handled)
    return counts


def _stored(prefix: str, device_id: str) -> int:
    url = SERVER.rsplit("/", 1)[0] + f"/{prefix}devices"
    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT count(*) FROM readings WHERE device_id = %s AND metric = 'replica_check'",
            (int(device_id),),
        ).fetchone()
    return int(row[0]) if row else 0


def _within(seconds: float, condition: object) -> bool:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def _drop_databases(prefix: str) -> None:
    with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as connection:
        for name in NAMES:
            connection.execute(f'DROP DATABASE IF EXISTS "{prefix}{name}" WITH (FORCE)')
