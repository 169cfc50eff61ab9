"""This checkout as the tools/fleet tests read it: services, compose, the local runner's plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from fleet.catalog import Service, discover
from fleet.config import DEFAULT_PORTS
from fleet.wiring import FleetPlan, ServiceAccount, service_env

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = discover(ROOT)


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text())
    return loaded


def runner_env(name: str, *, host: str, mqtt_url: str, database: str) -> dict[str, str]:
    """What the local runner gives service `name` when it plans every service of this checkout;
    `database` is a URL template with `{name}` (a SQLite file or a PostgreSQL database each)."""
    services = tuple(Service(n, DEFAULT_PORTS.get(n, 8004), Path("x.pex")) for n in SERVICES)
    plan = FleetPlan(
        host=host,
        services=services,
        mqtt_url=mqtt_url,
        mqtt_protocol="5",
        database_urls={n: database.format(name=n) for n in SERVICES},
        accounts={"devices": ServiceAccount("devices", "secret", "$argon2id$hash")},
        state_dir=Path("/state"),
    )
    return service_env(next(s for s in services if s.name == name), plan, worker_id=1)
