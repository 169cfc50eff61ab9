"""The fleet as its users run it: `fleet up` (the fleet tool's pex) starting every service's pex,
on a PostgreSQL server and a broker of the test's choosing. Driven from outside only: the
generated clients, MQTT, and the fleet tool's own commands (`stop`, `start`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

READY_WITHIN = 120.0  # a cold PEX_ROOT builds four venvs first


class FleetDidNotStart(Exception):
    """`fleet up` exited or did not say it was ready; the message carries its last lines."""


@dataclass
class RunningFleet:
    """A `fleet up` process and what it said: where each service listens."""

    process: subprocess.Popen[str]
    fleet_pex: Path
    env: dict[str, str]
    root: Path
    output: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    reader: threading.Thread | None = None

    @classmethod
    def start(cls, fleet_pex: Path, env: Mapping[str, str], root: Path) -> RunningFleet:
        process = subprocess.Popen(
            [str(fleet_pex), "up"],
            env=dict(env),
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        fleet = cls(process, fleet_pex, dict(env), root)
        # Read in a thread from the start: a pipe left unread would block the runner, and a
        # silent runner must not block the deadline.
        fleet.reader = threading.Thread(target=fleet._read, name="fleet-output", daemon=True)
        fleet.reader.start()
        deadline = time.monotonic() + READY_WITHIN
        while not fleet.ready.wait(0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                fleet.stop()
                raise FleetDidNotStart("".join(fleet.output[-60:]))
        return fleet

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:  # ends at EOF, when the runner exits
            self.output.append(line)
            del self.output[:-500]
            if "fleet ready in" in line:
                self.ready.set()

    @property
    def state(self) -> dict[str, object]:
        state: dict[str, object] = json.loads((self.root / ".fleet" / "fleet.json").read_text())
        return state

    def url_of(self, service: str) -> str:
        services = self.state["services"]
        assert isinstance(services, dict)
        return str(services[service])

    def pid_of(self, service: str) -> int:
        pids = self.state["pids"]
        assert isinstance(pids, dict)
        return int(pids[service])

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`fleet <args>` against this fleet (stop users, start users, status ...)."""
        return subprocess.run(
            [str(self.fleet_pex), *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )

    def stop(self) -> None:
        """Ctrl-C: the runner stops every service gracefully (or, killed, `fleet down` stops
        what it left)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self.command("down")
        if self.reader is not None:
            self.reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def dist_dir(candidates: list[Path]) -> Path | None:
    """Where the fleet pex and the service pexes are: Pants' sandbox, or the repo's dist/."""
    return next((d for d in candidates if (d / "fleet.pex").exists()), None)


def fleet_env(dist: Path, root: Path, **fleet: str) -> dict[str, str]:
    """The environment `fleet up` gets: ours, minus any FLEET_* of the developer's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLEET_", "PEX_", "__PEX_"))  # the test runner's own pex settings
    }
    env |= {"FLEET_ROOT": str(root), "FLEET_DIST_DIR": str(dist)}
    env |= {f"FLEET_{k.upper()}": v for k, v in fleet.items()}
    return env
