"""`fleet status`, `down`, `stop`, `start`, `logs`: talking to a fleet another terminal runs."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from fleet.catalog import Service
from fleet.health import Readiness, probe
from fleet.process import signal_group
from fleet.state import FleetState, is_alive


async def readiness_of(services: dict[str, str]) -> list[Readiness]:
    async with httpx.AsyncClient() as client:
        return list(await asyncio.gather(*(probe(client, n, u) for n, u in services.items())))


async def ready_within(name: str, url: str, within: float) -> Readiness:
    """The service's readiness once it answers 200, or its last answer after `within` s."""
    async with httpx.AsyncClient() as client:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            answer = await probe(client, name, url)
            if answer.ready or asyncio.get_running_loop().time() >= deadline:
                return answer
            await asyncio.sleep(0.25)


def status_lines(state: FleetState | None, answers: list[Readiness]) -> list[str]:
    head = (
        f"fleet running (runner pid {state.runner_pid}, broker {state.broker})"
        if state is not None
        else "no fleet runs from this folder; probing the default ports"
    )
    width = max((len(a.name) for a in answers), default=0)
    rows = [
        f"  {a.name:<{width}}  {'ready' if a.ready else 'NOT READY':<9}  {a.url}  {a.summary}"
        for a in answers
    ]
    return [head, *rows]


def default_urls(services: list[Service], host: str) -> dict[str, str]:
    return {s.name: f"http://{host}:{s.port}" for s in services}


def stop_fleet(state: FleetState, wait: float) -> bool:
    """SIGTERM the runner (it stops its services gracefully); after `wait` seconds kill what is
    left. Whether it stopped gracefully."""
    os.kill(state.runner_pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not is_alive(state.runner_pid):
            return True
        time.sleep(0.2)
    for pid in state.pids.values():
        signal_group(pid, signal.SIGKILL)
    os.kill(state.runner_pid, signal.SIGKILL)
    return False


def stop_leftovers(state: FleetState) -> list[str]:
    """The services a dead runner left running (it was killed, not stopped): SIGTERM them."""
    left = [name for name, pid in state.pids.items() if is_alive(pid)]
    for name in left:
        signal_group(state.pids[name], signal.SIGTERM)
    return left


def hold(state: FleetState, held_dir: Path, name: str, wait: float) -> bool:
    """Stop one service and keep it down: the runner sees the hold and does not restart it.
    Whether it stopped within `wait` seconds (else it was killed)."""
    held_dir.mkdir(parents=True, exist_ok=True)
    (held_dir / name).touch()
    # The service's process, or each of its replicas (`tasks-0`, `tasks-1`, ...); none when
    # it is not running now (held already, or between crash and restart).
    pids = [pid for key, pid in state.pids.items() if _process_of(key) == name]
    for pid in pids:
        signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not any(is_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    for pid in pids:
        signal_group(pid, signal.SIGKILL)
    return False


def _process_of(key: str) -> str:
    """The service a process of the state file runs: `tasks` for `tasks` and `tasks-1`."""
    service, _, slot = key.rpartition("-")
    return service if service and slot.isdigit() else key


def release(held_dir: Path, name: str) -> bool:
    """Let the runner start a held service again; whether it was held."""
    marker = held_dir / name
    was_held = marker.exists()
    marker.unlink(missing_ok=True)
    return was_held


def follow(path: Path, lines: int, *, keep_following: bool) -> Iterator[str]:
    """The last `lines` lines of `path`, then (if asked) what is appended, as `tail -f`."""
    with path.open(errors="replace") as log:
        yield from log.readlines()[-lines:] if lines > 0 else []
        while keep_following:
            line = log.readline()
            if line:
                yield line
            else:
                time.sleep(0.25)
