"""Which services the fleet runs: every services/<name>/ whose BUILD declares fleet_service or
that holds a descriptor (service.toml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fleet.config import DEFAULT_PORTS, FleetConfig
from fleet.descriptor import descriptors

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
    # The checkout's secrets file (services/<name>/.secrets.toml): the pex never sees it unless
    # it is named (`<NAME>_SECRETS_FILE`, chassis.config).
    secrets: Path | None = None

    @property
    def env_prefix(self) -> str:
        """Its settings' environment prefix (chassis.config.service_config): USERS__..."""
        return f"{self.name.upper()}__"


def discover(root: Path) -> list[str]:
    """The services in services/, users first (everyone verifies tokens with its keys), then
    DESIGN.md's order, then any newer service alphabetically."""
    names = set(descriptors(root))  # a folder holding only descriptors (a copy): its services
    for build in sorted((root / "services").glob("*/BUILD")):
        match = _DECLARATION.search(build.read_text())
        if match:
            names.add(match.group(1))
    known = list(DEFAULT_PORTS)
    return sorted(names, key=lambda n: (known.index(n) if n in known else len(known), n))


def services_of(config: FleetConfig, names: list[str]) -> list[Service]:
    """Ports, pex paths and wiring for `names`; the pex is where `./pants package` puts it."""
    fleet = descriptors(config.root)
    extra = 0
    services = []
    for name in names:
        described = fleet.get(name)
        services.append(
            Service(
                name=name,
                port=config.port_of(name, extra),
                pex=config.dist_dir / f"services.{name}" / "pex.pex",
                calls=described.calls if described else (),
                account=described.account if described else False,
                identity=described.identity if described else False,
                secrets=config.root / "services" / name / ".secrets.toml",
            )
        )
        if name not in DEFAULT_PORTS and name not in config.port_overrides:
            extra += 1
    return services
