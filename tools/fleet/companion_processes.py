"""The companions as processes of the fleet, and their place in its start and its stop.

The monitor receives the services' spans: it starts before the services and stops after them,
so their first spans (signing keys fetched, the demo data) and their last (the final export at
their stop) reach it, and no exporter retries against a closed port. It logs in as the demo
operator, who exists only once the demo accounts are in: until then users refuses it, and the
monitor waits longer after each refusal (fleet_monitor.tokens), well within the five failures
users lets a client have. The simulator publishes for the demo devices: it starts once they are
registered, and stops with the services.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

import httpx

from fleet.companions import MONITOR, Companion
from fleet.config import FleetConfig
from fleet.health import wait_ready
from fleet.process import ServiceProcess
from fleet.terminal import Terminal


def companion_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}  # lines as they happen, through the pipe


def start(
    companion: Companion,
    config: FleetConfig,
    terminal: Terminal,
    processes: list[ServiceProcess],
    runs: list[asyncio.Task[None]],
    on_start: Callable[[], None],
) -> None:
    """Run `companion`, supervised as the services are (its lines prefixed, restarted on a
    crash, `on_start` called at each start); it joins `processes` and its run `runs`."""
    process = ServiceProcess(
        companion.name,
        companion.argv,
        companion.env,
        log_path=config.logs_dir / f"{companion.name}.log",
        emit=terminal.emit,
        report=terminal.alarm,
        cwd=config.root,
        on_start=on_start,
    )
    processes.append(process)
    runs.append(asyncio.create_task(process.run(), name=companion.name))


async def serving(
    client: httpx.AsyncClient,
    companion: Companion | None,
    config: FleetConfig,
    terminal: Terminal,
) -> None:
    """Wait until `companion` answers /health/live (NotReady after FLEET_READY_TIMEOUT)."""
    if companion is None or companion.url is None:
        return
    await wait_ready(
        client,
        [(companion.name, companion.url)],
        within=config.ready_timeout,
        path="/health/live",
        on_ready=lambda r: terminal.say(f"{r.name} is ready ({r.url})"),
    )


def stop_order(processes: Sequence[ServiceProcess]) -> list[list[ServiceProcess]]:
    """Who stops together, in turn: the services and the simulator, then the monitor."""
    last = [p for p in processes if p.name == MONITOR]
    return [stage for stage in ([p for p in processes if p not in last], last) if stage]
