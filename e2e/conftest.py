"""One fleet for the e2e session: `fleet up` on the PostgreSQL server DATABASE_URL names (SQLite
files without it) and a Mosquitto of the session's own, which a test may stop and start."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from chassis.local import Mosquitto, free_port
from chassis.testing.postgres import TestDatabase
from e2e.actors import DEMO_PASSWORD, People
from e2e.running import RunningFleet, dist_dir, fleet_env

REPO = Path(__file__).resolve().parents[1]
# Every service of the checkout: each folder with a descriptor (//:service-descriptors).
DESCRIPTORS = sorted((REPO / "services").glob("*/service.toml"))
SERVICES = tuple(d.parent.name for d in DESCRIPTORS)
# Pants puts the pexes (runtime_package_dependencies) in the sandbox; outside it, dist/.
_DISTS = [Path.cwd(), REPO / "dist"]


@pytest.fixture(scope="session")
def broker() -> Iterator[Mosquitto]:
    broker = Mosquitto(persistent=True)  # what a device was promised survives a restart
    try:
        broker.start()
    except FileNotFoundError as exc:
        pytest.skip(f"the e2e fleet runs on a Mosquitto it can restart: {exc}")
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def fleet(broker: Mosquitto, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFleet]:
    dist = dist_dir(_DISTS)
    if dist is None:
        pytest.skip("no fleet.pex: ./pants package tools/fleet:fleet services/*:pex first")
    server = os.environ.get("DATABASE_URL")
    prefix = f"e2e_{uuid.uuid4().hex[:8]}_"  # beside any other fleet on the same server
    root = tmp_path_factory.mktemp("fleet")
    for descriptor in DESCRIPTORS:  # what each service calls
        (root / "services" / descriptor.parent.name).mkdir(parents=True)
        shutil.copy(descriptor, root / "services" / descriptor.parent.name)
    env = fleet_env(
        dist,
        root,
        mqtt_url=broker.address.url,
        demo_password=DEMO_PASSWORD,
        database_prefix=prefix,
        services=",".join(SERVICES),
        grace_period="5",
        monitor_port=str(free_port()),
        **{f"{name}_port": str(free_port()) for name in SERVICES},
        **({"database_url": server} if server else {}),
    )
    try:
        fleet = RunningFleet.start(dist / "fleet.pex", env, root)
        try:
            yield fleet
        finally:
            fleet.stop()
    finally:
        if server:
            for name in SERVICES:
                TestDatabase(server, f"{prefix}{name}").drop()


@pytest.fixture(scope="session")
def urls(fleet: RunningFleet) -> dict[str, str]:
    return {name: fleet.url_of(name) for name in SERVICES}


@pytest.fixture
def people(urls: dict[str, str]) -> Iterator[People]:
    crowd = People(urls)
    yield crowd
    crowd.close()
