"""Service descriptors: services/<name>/service.toml, what the platform needs to run a service.

The one place a service is described to the platform. Everything that lists services is derived
from the descriptors: the local fleet's ports, wiring and accounts (fleet.wiring), the chart's
wiring values (release.wiring), and the files `./fleet generate` writes (tools/scaffold: compose,
the broker's ACLs, database creation, values files, overlays, Pants' service list). A service's
code never reads its descriptor: the platform hands it settings.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE = "service.toml"
# A service name is a Python package, a DNS label, an env-var prefix and a database name at once.
NAME = re.compile(r"^[a-z][a-z0-9]{1,29}$")
# An environment is a folder, deploy/overlays/<environment>/ (its environment.yaml gives the
# autoscaling bounds a descriptor's [replicas] does not).
ENVIRONMENT = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
_KEYS = {
    "summary",
    "port",
    "calls",
    "account",
    "identity",
    "database",
    "mqtt",
    "replicas",
    "single_replica",
}
_MQTT_KEYS = {"publishes", "consumes", "read", "write", "patterns"}


class DescriptorError(Exception):
    """A descriptor is malformed or names a service the fleet does not have."""


@dataclass(frozen=True)
class Mqtt:
    """How a service uses the broker. Its events go to fleet/events/<name>/<type>."""

    # Event types it publishes (`task.created`), and those of other services it consumes.
    publishes: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    # Topics beyond events it reads and writes (devices: its devices' telemetry and commands).
    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    # Broker ACL rules for the accounts of its clients (devices: each device's own topics, %u).
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Descriptor:
    """How one service joins the fleet."""

    name: str
    port: int
    # One line: what it does (values files, compose and docs carry it).
    summary: str = ""
    # The services it calls over HTTP: it reads each one's `<callee>.base_url` setting.
    calls: tuple[str, ...] = ()
    # It logs in to the identity service with a client-credentials account
    # (`account.client_id` / `account.client_secret`).
    account: bool = False
    # It is the identity service: serves the JWKS and the token endpoint everyone else uses,
    # holds the accounts' secret hashes (`service_accounts`) and the signing key.
    identity: bool = False
    # It keeps its own PostgreSQL database (named after it) and migrates it.
    database: bool = False
    # Its use of the broker, or None when it does not connect to one.
    mqtt: Mqtt | None = None
    # Autoscaling bounds (min, max) where it differs from its environment's default.
    replicas: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # Settings it runs with as a single process, as variables below its prefix
    # (`INGEST__SHARE_GROUP`); `[single_replica.ingest] share_group = ""` in the file.
    single_replica: Mapping[str, str] = field(default_factory=dict)


def read(path: Path) -> Descriptor:
    """The descriptor at `path` (services/<name>/service.toml); the folder names the service."""
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DescriptorError(f"{path}: not valid TOML: {exc}") from None
    _known_keys(path, data, _KEYS, "")
    name = path.parent.name
    if not NAME.match(name):
        raise DescriptorError(f"{path}: {name!r} is not a service name ({_NAME_RULE})")
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        raise DescriptorError(f"{path}: summary must be a string, got {summary!r}")
    return Descriptor(
        name=name,
        port=_port(path, data),
        summary=summary,
        calls=_names(path, data, "calls"),
        account=_flag(path, data, "account"),
        identity=_flag(path, data, "identity"),
        database=_flag(path, data, "database"),
        mqtt=_mqtt(path, data.get("mqtt")),
        replicas=_replicas(path, data.get("replicas", {})),
        single_replica=_settings(path, "single_replica", data.get("single_replica", {})),
    )


def descriptors(root: Path) -> dict[str, Descriptor]:
    """Every services/*/service.toml under `root` by service name, checked as one fleet."""
    found = {d.name: d for d in map(read, sorted((root / "services").glob(f"*/{FILE}")))}
    _check_fleet(found)
    return found


def identity_of(fleet: Mapping[str, Descriptor]) -> Descriptor | None:
    """The service that issues the fleet's tokens, if the fleet has one."""
    return next((d for d in fleet.values() if d.identity), None)


def in_start_order(fleet: Mapping[str, Descriptor]) -> list[Descriptor]:
    """The identity service first (everyone verifies tokens with its keys), then each service
    after those it calls, ties by name: the order the fleet starts and lists them in."""
    order: list[Descriptor] = []
    placed: set[str] = set()

    def place(d: Descriptor) -> None:
        if d.name not in placed:
            placed.add(d.name)
            for callee in sorted(d.calls):
                place(fleet[callee])
            order.append(d)

    for d in sorted(fleet.values(), key=lambda d: (not d.identity, d.name)):
        place(d)
    return order


def publisher_of(fleet: Mapping[str, Descriptor], event_type: str) -> Descriptor | None:
    """The service whose descriptor publishes `event_type`."""
    return next((d for d in fleet.values() if d.mqtt and event_type in d.mqtt.publishes), None)


def _check_fleet(fleet: Mapping[str, Descriptor]) -> None:
    problems = []
    for d in fleet.values():
        where = f"services/{d.name}/{FILE}"
        problems += [f"{where}: calls {c}, which has no {FILE}" for c in d.calls if c not in fleet]
        if d.name in d.calls:
            problems.append(f"{where}: a service does not call itself")
        if d.account and identity_of(fleet) is None:
            problems.append(f"{where}: account = true, but no service has identity = true")
        for event_type in d.mqtt.consumes if d.mqtt else ():
            if publisher_of(fleet, event_type) is None:
                problems.append(f"{where}: consumes {event_type}, which no service publishes")
    identities = sorted(d.name for d in fleet.values() if d.identity)
    if len(identities) > 1:
        problems.append(f"identity = true in {', '.join(identities)}: one service issues tokens")
    ports: dict[int, list[str]] = {}
    events: dict[str, list[str]] = {}
    for d in fleet.values():
        ports.setdefault(d.port, []).append(d.name)
        for event_type in d.mqtt.publishes if d.mqtt else ():
            events.setdefault(event_type, []).append(d.name)
    problems += [f"port {p} is taken by {', '.join(n)}" for p, n in ports.items() if len(n) > 1]
    problems += [f"{t} is published by {', '.join(n)}" for t, n in events.items() if len(n) > 1]
    if problems:
        raise DescriptorError("; ".join(problems))


_NAME_RULE = "2-30 lowercase letters and digits, starting with a letter"


def _known_keys(path: Path, data: Mapping[str, Any], known: set[str], table: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        where = f" in [{table}]" if table else ""
        raise DescriptorError(
            f"{path}: unknown key {', '.join(unknown)}{where} (known: {', '.join(sorted(known))})"
        )


def _port(path: Path, data: Mapping[str, Any]) -> int:
    port = data.get("port")
    if type(port) is not int or not 0 < port < 65536:
        raise DescriptorError(f"{path}: port must be a number 1-65535, got {port!r}")
    return port


def _names(path: Path, data: Mapping[str, Any], key: str, table: str = "") -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        where = f"{table}.{key}" if table else key
        raise DescriptorError(f"{path}: {where} must be a list of strings, got {value!r}")
    return tuple(value)


def _flag(path: Path, data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise DescriptorError(f"{path}: {key} must be true or false, got {value!r}")
    return value


def _mqtt(path: Path, value: object) -> Mqtt | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DescriptorError(f"{path}: mqtt must be a table ([mqtt]), got {value!r}")
    _known_keys(path, value, _MQTT_KEYS, "mqtt")
    lists = {key: _names(path, value, key, "mqtt") for key in _MQTT_KEYS}
    return Mqtt(**lists)


def _settings(path: Path, where: str, value: object) -> dict[str, str]:
    """A table of settings as the service's variables: {"ingest": {"share_group": ""}} ->
    {"INGEST__SHARE_GROUP": ""}."""
    if not isinstance(value, dict):
        raise DescriptorError(f"{path}: {where} must be a table of settings, got {value!r}")
    found: dict[str, str] = {}
    for key, setting in value.items():
        if isinstance(setting, dict):
            inner = _settings(path, f"{where}.{key}", setting)
            found |= {f"{key.upper()}__{k}": v for k, v in inner.items()}
        elif isinstance(setting, bool):
            found[key.upper()] = str(setting).lower()
        elif isinstance(setting, str | int | float):
            found[key.upper()] = str(setting)
        else:
            raise DescriptorError(
                f"{path}: {where}.{key} must be a string, number or boolean, got {setting!r}"
            )
    return found


def _replicas(path: Path, value: object) -> dict[str, tuple[int, int]]:
    if not isinstance(value, dict):
        raise DescriptorError(f"{path}: replicas must be a table ([replicas]), got {value!r}")
    bounds: dict[str, tuple[int, int]] = {}
    for environment, pair in value.items():
        if not ENVIRONMENT.fullmatch(environment):
            raise DescriptorError(f"{path}: replicas.{environment}: not an environment's name")
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(type(n) is int for n in pair)
            or not 1 <= pair[0] <= pair[1]
        ):
            raise DescriptorError(
                f"{path}: replicas.{environment} must be [min, max] with 1 <= min <= max, "
                f"got {pair!r}"
            )
        bounds[environment] = (pair[0], pair[1])
    return bounds
