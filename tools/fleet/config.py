"""The runner's configuration: FLEET_* environment variables over the defaults (a service's port
is its descriptor's, services/<name>/service.toml)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MONITOR_PORT = 8000
# Replicas of one service on this machine: enough to see balancing and failover, few enough for
# a laptop (each is a whole service process).
MAX_REPLICAS = 8


class ConfigError(Exception):
    """A FLEET_* variable holds something the runner cannot use."""


@dataclass(frozen=True)
class FleetConfig:
    """Everything `up` needs to know before it starts anything."""

    root: Path
    host: str = "127.0.0.1"
    port_overrides: Mapping[str, int] = field(default_factory=dict)
    monitor_port: int = MONITOR_PORT
    database_url: str | None = None
    database_prefix: str = ""  # FLEET_DATABASE_PREFIX: `e2e_` runs beside a dev fleet's databases
    mqtt_url: str | None = None
    mqtt_port: int | None = None
    demo_password: str | None = None
    ready_timeout: float = 90.0
    grace_period: float = 10.0
    state_dir: Path = Path(".fleet")
    dist_dir: Path = Path("dist")
    only: tuple[str, ...] = ()  # FLEET_SERVICES: run these services only
    replicas: Mapping[str, int] = field(
        default_factory=dict
    )  # processes per service (FLEET_REPLICAS)
    traces_url: str | None = None  # FLEET_TRACES_URL: your own OTLP/HTTP receiver, not the monitor

    @classmethod
    def from_env(cls, root: Path, env: Mapping[str, str] | None = None) -> FleetConfig:
        """FLEET_HOST, FLEET_<SERVICE>_PORT, FLEET_MONITOR_PORT, FLEET_DATABASE_URL,
        FLEET_DATABASE_PREFIX, FLEET_MQTT_URL, FLEET_MQTT_PORT, FLEET_DEMO_PASSWORD,
        FLEET_READY_TIMEOUT, FLEET_GRACE_PERIOD, FLEET_STATE_DIR, FLEET_DIST_DIR, FLEET_SERVICES
        (comma-separated), FLEET_REPLICAS (`<service>=2,...`), FLEET_TRACES_URL (an OTLP/HTTP
        traces URL, e.g. a local Jaeger's http://127.0.0.1:4318/v1/traces); unset ones keep the
        defaults."""
        env = os.environ if env is None else env
        ports = {
            key[len("FLEET_") : -len("_PORT")].lower(): _port(key, value)
            for key, value in env.items()
            if key.startswith("FLEET_")
            and key.endswith("_PORT")
            and key not in ("FLEET_MONITOR_PORT", "FLEET_MQTT_PORT")
        }
        mqtt_port = env.get("FLEET_MQTT_PORT")
        return cls(
            root=root,
            host=env.get("FLEET_HOST", "127.0.0.1"),
            port_overrides=ports,
            monitor_port=_port("FLEET_MONITOR_PORT", env.get("FLEET_MONITOR_PORT", "8000")),
            database_url=env.get("FLEET_DATABASE_URL") or None,
            database_prefix=_identifier(
                "FLEET_DATABASE_PREFIX", env.get("FLEET_DATABASE_PREFIX", "")
            ),
            mqtt_url=env.get("FLEET_MQTT_URL") or None,
            mqtt_port=_port("FLEET_MQTT_PORT", mqtt_port) if mqtt_port else None,
            demo_password=env.get("FLEET_DEMO_PASSWORD") or None,
            ready_timeout=_seconds("FLEET_READY_TIMEOUT", env.get("FLEET_READY_TIMEOUT", "90")),
            grace_period=_seconds("FLEET_GRACE_PERIOD", env.get("FLEET_GRACE_PERIOD", "10")),
            state_dir=root / env.get("FLEET_STATE_DIR", ".fleet"),
            dist_dir=root / env.get("FLEET_DIST_DIR", "dist"),
            only=tuple(n.strip() for n in env.get("FLEET_SERVICES", "").split(",") if n.strip()),
            replicas=parse_replicas("FLEET_REPLICAS", env.get("FLEET_REPLICAS", "")),
            traces_url=_url("FLEET_TRACES_URL", env.get("FLEET_TRACES_URL") or None),
        )

    def replicas_of(self, service: str) -> int:
        return self.replicas.get(service, 1)

    def check_replicas(self, services: list[str]) -> None:
        """Replicas name services of this fleet, and run on PostgreSQL: each process claims its
        worker id from its service's PostgreSQL database; a SQLite file has one process."""
        unknown = sorted(set(self.replicas) - set(services))
        if unknown:
            raise ConfigError(
                f"replicas: no service {', '.join(unknown)} (services: {', '.join(services)})"
            )
        if self.database_url is None and any(n > 1 for n in self.replicas.values()):
            raise ConfigError(
                "replicas need PostgreSQL: on a SQLite file a service runs as one process (its "
                "worker ids are claimed from PostgreSQL); set FLEET_DATABASE_URL, e.g. "
                "postgresql://postgres@127.0.0.1:5432/postgres"
            )

    def port_of(self, service: str, described: int) -> int:
        """The service's port: FLEET_<SERVICE>_PORT, else its descriptor's (`described`)."""
        return self.port_overrides.get(service, described)

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def held_dir(self) -> Path:
        """A file per service `fleet stop` holds down (until `fleet start`)."""
        return self.state_dir / "held"

    @property
    def state_file(self) -> Path:
        return self.state_dir / "fleet.json"


def parse_replicas(name: str, value: str) -> dict[str, int]:
    """`a=2,b=3` -> {"a": 2, "b": 3} (service -> processes); a service left out runs once."""
    replicas: dict[str, int] = {}
    for item in (i.strip() for i in value.split(",")):
        if not item:
            continue
        service, _, count = item.partition("=")
        if not service.strip() or not count.strip().isdigit():
            raise ConfigError(f"{name}: {item!r} is not SERVICE=COUNT (e.g. devices=2,tasks=2)")
        replicas[service.strip()] = int(count)
        if not 1 <= int(count) <= MAX_REPLICAS:
            raise ConfigError(f"{name}: {item!r}: a service runs 1 to {MAX_REPLICAS} replicas")
    return replicas


def _port(name: str, value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a port number") from None
    if not 0 < port < 65536:
        raise ConfigError(f"{name}={value!r} is not a port number (1-65535)")
    return port


def _identifier(name: str, value: str) -> str:
    if value and not re.fullmatch(r"[a-z_][a-z0-9_]*", value):
        raise ConfigError(f"{name}={value!r}: lowercase letters, digits and _ only")
    return value


def _seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number of seconds") from None
    if seconds <= 0:
        raise ConfigError(f"{name}={value!r} must be more than 0 seconds")
    return seconds


def _url(name: str, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise ConfigError(
            f"{name}={value}: expected an http(s) URL, e.g. http://127.0.0.1:4318/v1/traces"
        )
    return value
