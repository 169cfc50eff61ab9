"""A real `fleet up` for the tests that need one running: its own root (the descriptors copied),
free ports, the pexes Pants built, Ctrl-C and leftovers handled at the end."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from fleet.control import stop_leftovers
from fleet.state import FleetState
from fleet.tests.checkout import ROOT

NAMES = ("users", "tasks", "devices")
PASSWORD = "running-fleet-test-password"  # the demo accounts of a throwaway fleet


@dataclass
class RunningFleet:
    root: Path
    env: dict[str, str]
    output: list[str]  # the runner's lines so far

    @property
    def state(self) -> FleetState:
        state = FleetState.read(self.root / ".fleet" / "fleet.json")
        assert state is not None
        return state

    def url(self, name: str) -> str:
        return self.state.services[name]

    def token(self, username: str = "operator") -> str:
        answer = httpx.post(
            f"{self.url('users')}/v1/auth/token",
            data={"username": username, "password": PASSWORD},
            timeout=10,
        )
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    def headers(self, username: str = "operator") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def command(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`fleet <args>` as a user runs it beside this fleet."""
        return subprocess.run(
            [sys.executable, "-m", "fleet.cli", *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def free_ports(count: int) -> list[int]:
    """`count` different free ports on 127.0.0.1: each held while the next is chosen (ports
    asked for one after another may repeat)."""
    held = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in held:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in held]
    finally:
        for sock in held:
            sock.close()


@contextmanager
def running_fleet(
    dist: Path, root: Path, *up_args: str, env: Mapping[str, str] | None = None
) -> Iterator[RunningFleet]:
    """`fleet up <up_args>` in `root` (the services' descriptors copied in, unless a copy of
    the checkout holds them already) until the block ends; `env` adds FLEET_* settings."""
    for name in NAMES:
        (root / "services" / name).mkdir(parents=True, exist_ok=True)
        if not (root / "services" / name / "service.toml").exists():
            shutil.copy(ROOT / "services" / name / "service.toml", root / "services" / name)
    *ports, monitor = free_ports(len(NAMES) + 1)
    fleet_env = {
        **{
            k: v for k, v in os.environ.items() if k not in ("FLEET_DATABASE_URL", "FLEET_MQTT_URL")
        },
        "PYTHONPATH": os.pathsep.join(os.path.abspath(p) for p in sys.path),
        "FLEET_ROOT": str(root),
        "FLEET_DIST_DIR": str(dist),
        "FLEET_SERVICES": ",".join(NAMES),
        "FLEET_MONITOR_PORT": str(monitor),
        "FLEET_DEMO_PASSWORD": PASSWORD,
        "FLEET_READY_TIMEOUT": "60",
        "FLEET_GRACE_PERIOD": "5",
        **{
            f"FLEET_{name.upper()}_PORT": str(port) for name, port in zip(NAMES, ports, strict=True)
        },
        **(env or {}),
    }
    runner = subprocess.Popen(
        [sys.executable, "-m", "fleet.cli", "up", *up_args],
        env=fleet_env,
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
        yield RunningFleet(root, fleet_env, output)
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
