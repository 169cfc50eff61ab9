"""Resident memory of the local fleet at idle: every process `./fleet up` starts, and the total.

It runs the fleet as `./fleet up` does (dist/fleet.pex and the pexes beside it: build them first
with `./fleet build`), on free ports with a private broker, SQLite files and a state folder of
its own, waits until the fleet is ready, lets it idle `--settle` seconds, reads each process's
RSS (and PSS: RSS with shared pages split between the processes that share them), then stops it
with Ctrl-C as a user would. Loopback only, bounded (`--timeout`).

    ./fleet build && ./pants run tools/bench/memory.py -- --settle 10

Targets (issue 20): <= 100 MB RSS per service at idle; the whole local fleet <= 600 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from chassis.local import free_port
from fleet.descriptor import descriptors
from fleet.state import FleetState

SERVICE_LIMIT_MB = 100
FLEET_LIMIT_MB = 600
_READY = re.compile(r"fleet ready in ([0-9.]+) s")


@dataclass
class Usage:
    process: str
    pid: int
    rss_mb: float
    pss_mb: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--settle", type=float, default=10.0, help="idle seconds before reading")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to get ready")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the checkout")
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="where the pexes are")
    parser.add_argument("--out", type=Path, default=Path("reports/bench-memory.json"))
    args = parser.parse_args()
    root, dist = args.root.resolve(), (args.root / args.dist).resolve()
    if not (dist / "fleet.pex").exists():
        sys.exit(f"no {dist}/fleet.pex: run ./fleet build first")
    usage = measure(root, dist, args.settle, args.timeout)
    report(usage, list(descriptors(root)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([asdict(u) for u in usage], indent=2))


def measure(root: Path, dist: Path, settle: float, timeout: float) -> list[Usage]:
    """Start the fleet, wait for it to be ready and idle, read every process's memory, stop it."""
    with running_fleet(root, dist, timeout) as fleet:
        time.sleep(settle)
        return fleet.usage()


@dataclass
class RunningFleet:
    """A fleet `up` started, from the moment it said it is ready."""

    runner: subprocess.Popen[str]
    env: dict[str, str]  # what it runs with: `fleet down` with the same finds it
    state_dir: Path
    ready_s: float  # from starting `up` to its "fleet ready" line, as seen from here
    lines: list[str]  # its output so far

    @property
    def reported_ready_s(self) -> float | None:
        """The runner's own figure: `fleet ready in 12.3 s`."""
        found = (_READY.search(line) for line in self.lines)
        return next((float(m.group(1)) for m in found if m), None)

    def usage(self) -> list[Usage]:
        """The memory of every process of the fleet now, named as the runner names them."""
        state = FleetState.read(self.state_dir / "fleet.json")
        names = {pid: name for name, pid in (state.pids if state else {}).items()}
        names[self.runner.pid] = "runner (fleet.pex)"
        return [_usage(names.get(pid, _command(pid)), pid) for pid in _tree(self.runner.pid)]


@contextlib.contextmanager
def running_fleet(
    root: Path,
    dist: Path,
    timeout: float,
    *,
    command: list[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[RunningFleet]:
    """`fleet up` (`command`, default dist/fleet.pex up) on free ports with a state folder of
    its own, `env` (default this process's) under it; stopped with Ctrl-C on leaving, unless it
    has stopped already (`fleet down`). RuntimeError when it is not ready within `timeout`."""
    with tempfile.TemporaryDirectory(prefix="fleet-memory-") as state_dir:
        fleet_env = _fleet_env(root, dist, Path(state_dir), os.environ if env is None else env)
        started = time.monotonic()
        runner = subprocess.Popen(
            command or [str(dist / "fleet.pex"), "up"],
            cwd=root,
            env=fleet_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        ready = threading.Event()
        threading.Thread(target=_follow, args=(runner, lines, ready), daemon=True).start()
        # Reaped the moment it exits: `fleet down` waits until its pid is gone, and a zombie's
        # is not.
        threading.Thread(target=runner.wait, daemon=True).start()
        try:
            if not ready.wait(timeout) or runner.poll() is not None:
                raise RuntimeError("the fleet did not get ready:\n" + "".join(lines[-40:]))
            yield RunningFleet(
                runner, fleet_env, Path(state_dir), time.monotonic() - started, lines
            )
        finally:
            _stop(runner)


def report(usage: list[Usage], services: list[str]) -> None:
    print(f"{'process':<22}{'pid':>8}{'RSS MB':>9}{'PSS MB':>9}")
    for u in usage:
        print(f"{u.process:<22}{u.pid:>8}{u.rss_mb:>9.1f}{u.pss_mb:>9.1f}")
    rss, pss = sum(u.rss_mb for u in usage), sum(u.pss_mb for u in usage)
    print(f"{'total':<30}{rss:>9.1f}{pss:>9.1f}")
    heaviest = max((u.rss_mb for u in usage if u.process in services), default=0.0)
    print(
        f"heaviest service {heaviest:.1f} MB RSS (target <= {SERVICE_LIMIT_MB}); "
        f"fleet {rss:.1f} MB RSS (target <= {FLEET_LIMIT_MB})"
    )


def _fleet_env(root: Path, dist: Path, state_dir: Path, base: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in base.items() if k not in ("FLEET_DATABASE_URL", "FLEET_MQTT_URL")}
    names = list(descriptors(root))
    monitor, *ports = _free_ports(1 + len(names))
    return {
        **env,
        "FLEET_ROOT": str(root),
        "FLEET_DIST_DIR": str(dist),
        "FLEET_STATE_DIR": str(state_dir),  # an absolute path: not the checkout's .fleet/
        "FLEET_MONITOR_PORT": str(monitor),
        "FLEET_DEMO_PASSWORD": "memory-benchmark-password",
        "FLEET_GRACE_PERIOD": "5",
        **{
            f"FLEET_{name.upper()}_PORT": str(port) for name, port in zip(names, ports, strict=True)
        },
    }


def _free_ports(count: int) -> list[int]:
    """`count` different free ports (two asks in a row may be handed the same one)."""
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


def _follow(runner: subprocess.Popen[str], lines: list[str], ready: threading.Event) -> None:
    assert runner.stdout is not None  # started with stdout=PIPE
    for line in runner.stdout:
        lines.append(line)
        if "fleet ready in" in line:
            ready.set()
    ready.set()  # the runner exited: the waiter sees it has


def _stop(runner: subprocess.Popen[str]) -> None:
    if runner.poll() is None:
        runner.send_signal(signal.SIGINT)  # the runner stops its processes in order
        try:
            runner.wait(timeout=60)
        except subprocess.TimeoutExpired:
            runner.kill()
            runner.wait()


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the services run in sessions of their own, as children)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone since the listing
            continue
        # The command may hold spaces and parentheses: the fields after its last ")" are safe.
        parent = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found.append(current)
        todo.extend(sorted(children.get(current, [])))
    return found


def _usage(name: str, pid: int) -> Usage:
    rollup = _fields(Path(f"/proc/{pid}/smaps_rollup"))
    return Usage(name, pid, rollup.get("Rss", 0) / 1024, rollup.get("Pss", 0) / 1024)


def _fields(path: Path) -> dict[str, int]:
    """`Name:   123 kB` lines as {name: kB}."""
    fields = {}
    try:
        for line in path.read_text().splitlines():
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
    except OSError:
        pass
    return fields


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
