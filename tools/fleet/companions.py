"""The processes that run beside the services: the fleet monitor and the device simulator.

Both are optional: the monitor runs when its pex was built (tools/fleet_monitor), and then receives
the services' traces (`traces_url`, which the plan hands every service); the simulator when the
demo devices' service's pex carries its module (fleet.demo; started through that pex, PEX_MODULE).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fleet.wiring import FleetPlan

MONITOR = "monitor"  # the monitor's process name: its log file, prefix and pid
MONITOR_PEX = "fleet-monitor.pex"
SIMULATOR_RATE = 1.0  # readings per second per device: enough to see, little to store


@dataclass(frozen=True)
class Companion:
    name: str
    argv: list[str]
    env: dict[str, str]
    url: str | None = None  # where it answers /health/live, when it serves HTTP


def monitor(
    dist: Path, plan: FleetPlan, port: int, password: str, env: Mapping[str, str]
) -> Companion | None:
    """The fleet monitor on `port`, watching every service of `plan` in its order, logged in as
    the demo operator at the identity service (the APIs it reads need a token)."""
    pex = dist / MONITOR_PEX
    if not pex.exists():
        return None
    services = [
        arg for s in plan.services for arg in ("--service", f"{s.name}={plan.url_of(s.name)}")
    ]
    argv = [str(pex), "serve", "--host", plan.host, "--port", str(port)]
    argv += ["--broker", plan.mqtt_url, *services]
    if plan.identity is not None:
        argv += ["--token-url", f"{plan.url_of(plan.identity.name)}/v1/auth/token"]
    # The password travels in the environment, not in argv where `ps` shows it.
    secrets = {"FLEET_MONITOR_USERNAME": "operator", "FLEET_MONITOR_PASSWORD": password}
    return Companion(MONITOR, argv, {**env, **secrets}, f"http://{plan.host}:{port}")


def traces_url(dist: Path, host: str, port: int) -> str | None:
    """Where the services send their spans: the monitor's OTLP/HTTP receiver, when the monitor
    runs (its pex was built); without it, None, and the services trace nothing. `fleet up`
    starts the monitor before the services and stops it after them
    (fleet.companion_processes), so every span they record reaches it."""
    if not (dist / MONITOR_PEX).exists():
        return None
    return f"http://{host}:{port}/v1/traces"


def simulator(
    pex: Path, module: str, plan: FleetPlan, device_ids: Sequence[str], env: Mapping[str, str]
) -> Companion | None:
    """The demo devices publishing telemetry, when `pex` ships the simulator `module`."""
    if not device_ids or not has_module(pex, module):
        return None
    argv = [str(pex), "--ids", ",".join(device_ids), "--broker", plan.mqtt_url]
    argv += ["--rate", str(SIMULATOR_RATE)]
    return Companion("simulator", argv, {**env, "PEX_MODULE": module})


def has_module(pex: Path, module: str) -> bool:
    """Whether the pex holds `module` (a pex is a zip with the sources at its root)."""
    name = module.replace(".", "/")
    try:
        with zipfile.ZipFile(pex) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return f"{name}.py" in names or f"{name}/__init__.py" in names
