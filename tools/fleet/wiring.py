"""Service-to-service wiring: the environment each service is started with.

Everything a service learns about the rest of the fleet arrives as its own settings variables
(`<NAME>__<CALLEE>__BASE_URL`, ...), exactly as in compose and Kubernetes; nothing is read from a
shared file. Who calls whom, who takes part in auth how, and what a service sets when it runs as
one process is each service's descriptor (services/<name>/service.toml, on `Service`).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fleet.catalog import Service

# A replica's MQTT session outlives it this long (seconds): long enough for the runner to
# restart it into its session (its slot's client id), short enough that a slot no longer run
# (fewer replicas next time) leaves no session behind holding its share of the messages.
REPLICA_SESSION_EXPIRY = 300
# Seconds a finished span waits before its batch leaves for the monitor: a trace shows up there
# about as soon as its request ends (the chassis default, 2 s, suits a real backend).
TRACES_EXPORT_DELAY = 0.5


@dataclass(frozen=True)
class ServiceAccount:
    """A client-credentials account: the secret goes to the service, its hash to the identity
    service."""

    client_id: str
    secret: str
    secret_hash: str


@dataclass(frozen=True)
class FleetPlan:
    """The fleet about to start: where each service listens and what it connects to."""

    host: str
    services: tuple[Service, ...]
    mqtt_url: str
    mqtt_protocol: str
    database_urls: Mapping[str, str]
    accounts: Mapping[str, ServiceAccount]
    state_dir: Path
    replicas: Mapping[str, int] = field(default_factory=dict)  # processes; 1 if absent
    traces_url: str | None = None  # the OTLP/HTTP receiver spans go to; None: tracing off
    pool_size: int | None = None  # each process's database pool; None: the service's own

    def url_of(self, name: str) -> str:
        port = next((s.port for s in self.services if s.name == name), None)
        if port is None:
            raise KeyError(f"no service {name!r} in this fleet")
        return f"http://{self.host}:{port}"

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.services)

    @property
    def identity(self) -> Service | None:
        """The service that issues tokens (its descriptor's `identity = true`), if it runs."""
        return next((s for s in self.services if s.identity), None)


def service_env(service: Service, plan: FleetPlan) -> dict[str, str]:
    """The `<NAME>__...` variables `service` needs to join `plan`'s fleet."""
    p = service.env_prefix
    env = {
        f"{p}HTTP__HOST": plan.host,
        f"{p}HTTP__PORT": str(service.port),
        f"{p}LOGGING__FORMAT": "console",
    }
    if service.database:
        env[f"{p}DATABASE__URL"] = plan.database_urls[service.name]
        if plan.pool_size is not None:
            env[f"{p}DATABASE__POOL_SIZE"] = str(plan.pool_size)
    if service.mqtt:
        env |= {f"{p}MQTT__URL": plan.mqtt_url, f"{p}MQTT__PROTOCOL": plan.mqtt_protocol}
    if service.secrets is not None and service.secrets.is_file():
        env[f"{service.name.upper()}_SECRETS_FILE"] = str(service.secrets)
    if plan.replicas.get(service.name, 1) == 1:
        env |= {f"{p}{key}": value for key, value in service.single_replica.items()}
    for callee in service.calls:
        if plan.has(callee):
            env[f"{p}{callee.upper()}__BASE_URL"] = plan.url_of(callee)
    if plan.traces_url is not None:
        env[f"{p}TRACING__ENABLED"] = "true"
        env[f"{p}TRACING__ENDPOINT"] = plan.traces_url
        env[f"{p}TRACING__EXPORT_DELAY"] = str(TRACES_EXPORT_DELAY)
    return env | _auth_env(service, plan)


def _auth_env(service: Service, plan: FleetPlan) -> dict[str, str]:
    """Where it verifies tokens, its own account, and (the identity service) every account's
    secret hash and its keys."""
    p = service.env_prefix
    env = {}
    if plan.identity is not None:
        identity = plan.url_of(plan.identity.name)
        env[f"{p}AUTH__JWKS_URL"] = f"{identity}/.well-known/jwks.json"
        env[f"{p}AUTH__TOKEN_URL"] = f"{identity}/v1/auth/token"
    account = plan.accounts.get(service.name) if service.account else None
    if account is not None:
        env[f"{p}ACCOUNT__CLIENT_ID"] = account.client_id
        env[f"{p}ACCOUNT__CLIENT_SECRET"] = account.secret
    if service.identity:
        env[f"{p}TOKENS__KEYS_DIR"] = str(plan.state_dir / service.name / "keys")
        hashes = {a.client_id: a.secret_hash for a in plan.accounts.values()}
        env[f"{p}SERVICE_ACCOUNTS"] = json.dumps(hashes)
    return env


def replica_env(service: Service, plan: FleetPlan, slot: int) -> dict[str, str]:
    """What replica `slot` (0, 1, ...) of `service` gets on top of service_env: a client id
    of its own, the same on every restart of that slot, as a StatefulSet's pod names are (two
    replicas with one client id would take each other's connection away)."""
    if plan.replicas.get(service.name, 1) == 1 or not service.mqtt:
        return {}
    p = service.env_prefix
    return {
        f"{p}MQTT__CLIENT_ID": f"{service.name}-{socket.gethostname()}-{slot}",
        f"{p}MQTT__SESSION_EXPIRY": str(REPLICA_SESSION_EXPIRY),
    }
