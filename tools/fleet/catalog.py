"""Which services the fleet runs: every services/<name>/ holding a descriptor (service.toml), which
also says its port, what it calls and how it takes part in auth."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fleet.config import FleetConfig
from fleet.descriptor import FILE, DescriptorError, descriptors, in_start_order

_DECLARATION = re.compile(r"""^\s*fleet_service\(\s*["']([a-z][a-z0-9_]*)["']""", re.MULTILINE)


@dataclass(frozen=True)
class Service:
    """One service of the fleet as the runner sees it: a name, a port, its pex and, from its
    descriptor (services/<name>/service.toml), what it calls and how it takes part in auth."""

    name: str
    port: int
    pex: Path
    calls: tuple[str, ...] = ()
    account: bool = False
    identity: bool = False
    # It keeps a database / connects to the broker (its descriptor's `database`, `[mqtt]`).
    database: bool = False
    mqtt: bool = False
    # Its settings when it runs as one process (the descriptor's [single_replica]).
    single_replica: Mapping[str, str] = field(default_factory=dict)
    # The checkout's secrets file (services/<name>/.secrets.toml): the pex never sees it unless
    # it is named (`<NAME>_SECRETS_FILE`, chassis.config).
    secrets: Path | None = None

    @property
    def env_prefix(self) -> str:
        """Its settings' environment prefix (chassis.config.service_config): `<NAME>__`."""
        return f"{self.name.upper()}__"


def discover(root: Path) -> list[str]:
    """The services in services/, in start order (fleet.descriptor.in_start_order: the identity
    service first, everyone after those it calls). A folder whose BUILD declares fleet_service
    without a descriptor is refused: the fleet would not know its port."""
    fleet = descriptors(root)
    undescribed = [
        build.parent.name
        for build in sorted((root / "services").glob("*/BUILD"))
        if _DECLARATION.search(build.read_text()) and build.parent.name not in fleet
    ]
    if undescribed:
        raise DescriptorError(
            f"no {FILE} in services/{', services/'.join(undescribed)}: a service's descriptor "
            "says its port and what it calls (tools/fleet/descriptor.py)"
        )
    return [d.name for d in in_start_order(fleet)]


def services_of(config: FleetConfig, names: list[str]) -> list[Service]:
    """Ports, pex paths and wiring for `names`; the pex is where `./pants package` puts it."""
    fleet = descriptors(config.root)
    missing = [n for n in names if n not in fleet]
    if missing:
        raise DescriptorError(f"no {FILE} for {', '.join(missing)} in {config.root}/services")
    return [
        Service(
            name=name,
            port=config.port_of(name, fleet[name].port),
            pex=config.dist_dir / f"services.{name}" / "pex.pex",
            calls=fleet[name].calls,
            account=fleet[name].account,
            identity=fleet[name].identity,
            database=fleet[name].database,
            mqtt=fleet[name].mqtt is not None,
            single_replica=fleet[name].single_replica,
            secrets=config.root / "services" / name / ".secrets.toml",
        )
        for name in names
    ]
