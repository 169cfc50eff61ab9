"""The fleet under load: where its services and broker are, and the demo accounts' password.

Each comes from its FLEET_* variable, else from the fleet `./fleet up` is running (its state file,
which knows the broker's port: `up` never uses 1883), else the local defaults (a service's port
is its descriptor's, services/<name>/service.toml).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fleet.descriptor import descriptors
from fleet.ports import listening
from fleet.state import FleetState

DEFAULT_BROKER = "mqtt://127.0.0.1:1883"


class TargetError(Exception):
    """Something needed to aim at the fleet is missing; the message says how to provide it."""


@dataclass(frozen=True)
class FleetTarget:
    users: str
    tasks: str
    devices: str
    broker: str
    password: str

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: Path) -> FleetTarget:
        """FLEET_USERS_URL, FLEET_TASKS_URL, FLEET_DEVICES_URL, FLEET_MQTT_URL and
        FLEET_DEMO_PASSWORD; the state folder is FLEET_ROOT (else `cwd`) / FLEET_STATE_DIR."""
        root = Path(env.get("FLEET_ROOT") or cwd)
        state_dir = root / env.get("FLEET_STATE_DIR", ".fleet")
        running = FleetState.load(state_dir / "fleet.json")
        local = {n: f"http://127.0.0.1:{d.port}" for n, d in descriptors(root).items()}
        urls = {**local, **(running.services if running else {})}
        return cls(
            users=_url(env, urls, "users"),
            tasks=_url(env, urls, "tasks"),
            devices=_url(env, urls, "devices"),
            broker=env.get("FLEET_MQTT_URL") or (running.broker if running else DEFAULT_BROKER),
            password=env.get("FLEET_DEMO_PASSWORD") or _saved_password(state_dir),
        )

    def as_env(self) -> dict[str, str]:
        """The variables that aim another process (the locust one) at this same fleet."""
        return {
            "FLEET_USERS_URL": self.users,
            "FLEET_TASKS_URL": self.tasks,
            "FLEET_DEVICES_URL": self.devices,
            "FLEET_MQTT_URL": self.broker,
            "FLEET_DEMO_PASSWORD": self.password,
        }

    def unreachable(self, timeout: float = 3.0) -> list[str]:
        """The URLs nothing listens on: a run against them would only measure refusals."""
        urls = (self.users, self.tasks, self.devices, self.broker)
        return [url for url in urls if not _listening(url, timeout)]


def _url(env: Mapping[str, str], urls: Mapping[str, str], service: str) -> str:
    variable = f"FLEET_{service.upper()}_URL"
    url = env.get(variable) or urls.get(service)
    if url is None:
        raise TargetError(f"no URL for {service}: set {variable}, or run from the checkout")
    return url.rstrip("/")


def _saved_password(state_dir: Path) -> str:
    saved = state_dir / "demo-password"
    try:
        return saved.read_text().strip()
    except FileNotFoundError:
        raise TargetError(
            f"no demo password: set FLEET_DEMO_PASSWORD, or run ./fleet up once (it keeps the "
            f"one it generates in {saved})"
        ) from None


def _listening(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme, 1883)
    return listening(parts.hostname or "127.0.0.1", parts.port or default_port, timeout)
