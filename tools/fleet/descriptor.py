"""Service descriptors: services/<name>/service.toml, what the platform needs to run a service.

One table of the fleet's wiring, read by every way Fleet runs it: the local fleet builds each
service's environment from it (fleet.wiring), `release render` derives the chart's wiring values
from it (release.wiring), and a test holds docker-compose.yml to it. A service's code never reads
its descriptor: the platform hands it settings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = "service.toml"
_KEYS = {"port", "calls", "account", "identity"}


class DescriptorError(Exception):
    """A descriptor is malformed or names a service the fleet does not have."""


@dataclass(frozen=True)
class Descriptor:
    """How one service joins the fleet."""

    name: str
    port: int
    # The services it calls over HTTP: it reads each one's `<callee>.base_url` setting.
    calls: tuple[str, ...] = ()
    # It logs in to the identity service with a client-credentials account
    # (`account.client_id` / `account.client_secret`).
    account: bool = False
    # It is the identity service: serves the JWKS and the token endpoint everyone else uses,
    # holds the accounts' secret hashes (`service_accounts`) and the signing key.
    identity: bool = False


def read(path: Path) -> Descriptor:
    """The descriptor at `path` (services/<name>/service.toml); the folder names the service."""
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DescriptorError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise DescriptorError(f"{path}: unknown key {', '.join(unknown)} (known: {_known()})")
    return Descriptor(
        name=path.parent.name,
        port=_port(path, data),
        calls=tuple(_names(path, data.get("calls", []))),
        account=_flag(path, data, "account"),
        identity=_flag(path, data, "identity"),
    )


def descriptors(root: Path) -> dict[str, Descriptor]:
    """Every services/*/service.toml under `root` by service name, checked as one fleet."""
    found = {d.name: d for d in map(read, sorted((root / "services").glob(f"*/{FILE}")))}
    _check_fleet(found)
    return found


def identity_of(fleet: Mapping[str, Descriptor]) -> Descriptor | None:
    """The service that issues the fleet's tokens, if the fleet has one."""
    return next((d for d in fleet.values() if d.identity), None)


def _check_fleet(fleet: Mapping[str, Descriptor]) -> None:
    problems = []
    for d in fleet.values():
        where = f"services/{d.name}/{FILE}"
        problems += [f"{where}: calls {c}, which has no {FILE}" for c in d.calls if c not in fleet]
        if d.name in d.calls:
            problems.append(f"{where}: a service does not call itself")
        if d.account and identity_of(fleet) is None:
            problems.append(f"{where}: account = true, but no service has identity = true")
    identities = sorted(d.name for d in fleet.values() if d.identity)
    if len(identities) > 1:
        problems.append(f"identity = true in {', '.join(identities)}: one service issues tokens")
    ports: dict[int, list[str]] = {}
    for d in fleet.values():
        ports.setdefault(d.port, []).append(d.name)
    problems += [f"port {p} is taken by {', '.join(n)}" for p, n in ports.items() if len(n) > 1]
    if problems:
        raise DescriptorError("; ".join(problems))


def _port(path: Path, data: dict[str, Any]) -> int:
    port = data.get("port")
    if type(port) is not int or not 0 < port < 65536:
        raise DescriptorError(f"{path}: port must be a number 1-65535, got {port!r}")
    return port


def _names(path: Path, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DescriptorError(f"{path}: calls must be a list of service names, got {value!r}")
    return list(value)


def _flag(path: Path, data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise DescriptorError(f"{path}: {key} must be true or false, got {value!r}")
    return value


def _known() -> str:
    return ", ".join(sorted(_KEYS))
