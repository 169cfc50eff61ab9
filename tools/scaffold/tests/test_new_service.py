"""`./fleet new`: a new service in the one shape, or a refusal that writes nothing.

Each test runs on a copy of just what `new` reads: two services' descriptors, the build's
pyproject.toml (ruff tidies what it writes) and the requirements (names a service may not take).
What the new service's own tests, lint and type check make of it is proven where it is made
for real: in a clone of the repository, by `./fleet new` and Pants.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fleet.descriptor import descriptors
from scaffold.new_service import NewService, Refused, create

REPOSITORY = Path.cwd()  # the sandbox's root: the build configuration this target depends on
IDENTITY = 'summary = "accounts and tokens"\nport = 8001\nidentity = true\ndatabase = true\n'
ORDERS = 'summary = "orders"\nport = 8002\ncalls = ["accounts"]\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, descriptor in (("accounts", IDENTITY), ("orders", ORDERS)):
        (tmp_path / "services" / name).mkdir(parents=True)
        (tmp_path / "services" / name / "service.toml").write_text(descriptor)
    for name in ("pyproject.toml", "3rdparty/python/requirements.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPOSITORY / name, tmp_path / name)
    return tmp_path


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()}


def test_a_new_service_has_the_one_shape(root: Path) -> None:
    written = create(root, NewService("inventory", calls=("orders",)))

    service = "services/inventory"
    assert {
        f"{service}/BUILD",
        f"{service}/service.toml",
        f"{service}/settings.toml",
        f"{service}/main.py",
        f"{service}/api/items.py",
        f"{service}/service/items.py",
        f"{service}/service/ports.py",
        f"{service}/adapters/repository.py",
        f"{service}/adapters/clients/orders.py",
        f"{service}/migrations/versions/r0001_items.py",
        f"{service}/tests/unit/fakes.py",
        f"{service}/tests/integration/test_orders_references.py",
        f"{service}/tests/integration/test_openapi_fuzz.py",
        "shared/contracts/inventory.py",
        "docs/inventory.md",
    } <= set(written)
    assert (root / service / "BUILD").read_text() == 'fleet_service("inventory")\n'
    assert len((root / service / "main.py").read_text().splitlines()) <= 45


def test_its_descriptor_joins_the_fleet_on_the_next_port_with_its_event(root: Path) -> None:
    create(root, NewService("inventory", calls=("orders",)))

    described = descriptors(root)["inventory"]
    assert (described.port, described.calls, described.database) == (8003, ("orders",), True)
    assert described.mqtt is not None
    assert described.mqtt.publishes == ("item.created",)


def test_the_reference_is_named_after_the_service_it_calls(root: Path) -> None:
    create(root, NewService("inventory", calls=("orders",), resource="part"))

    schemas = (root / "services/inventory/api/schemas.py").read_text()
    assert "order_id: Reference | None" in schemas
    assert 'publishes = ["part.created"]' in (root / "services/inventory/service.toml").read_text()


def test_without_a_database_it_keeps_its_resources_in_memory_and_publishes_nothing(
    root: Path,
) -> None:
    written = create(root, NewService("inventory", database=False))

    assert "services/inventory/adapters/memory.py" in written
    assert not [p for p in written if "migrations" in p or "contracts" in p]
    # No migrations target either: its glob would match nothing and warn on every Pants run.
    build = (root / "services/inventory/BUILD").read_text()
    assert build == 'fleet_service("inventory", database=False)\n'
    described = descriptors(root)["inventory"]
    assert (described.database, described.mqtt and described.mqtt.publishes) == (False, ())


def test_without_mqtt_it_has_no_bus_and_no_events(root: Path) -> None:
    written = create(root, NewService("inventory", mqtt=False))

    assert descriptors(root)["inventory"].mqtt is None
    assert "Bus(" not in (root / "services/inventory/main.py").read_text()
    assert "shared/contracts/inventory.py" not in written


@pytest.mark.parametrize(
    "ask",
    [
        NewService("inventory", calls=("orders",)),
        # Sorts before the chassis, calls a service that sorts after the service's own modules.
        NewService("abacus" + "x" * 24, calls=("zones", "orders"), resource="y" * 30),
        NewService("inventory", calls=("orders",), database=False),
        NewService("inventory", mqtt=False, summary="a long summary " * 8),
    ],
    ids=["default", "long-names", "no-database", "no-mqtt"],
)
def test_what_it_writes_passes_the_repositorys_ruff_as_written(root: Path, ask: NewService) -> None:
    (root / "services/zones").mkdir()
    (root / "services/zones/service.toml").write_text('summary = "zones"\nport = 8009\n')
    python = [p for p in create(root, ask) if p.endswith(".py")]

    for args in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, *python],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("ask", "why"),
    [
        (NewService("orders"), "a service named orders exists"),
        (NewService("Inventory"), "is not a service name"),
        (NewService("in-ventory"), "is not a service name"),
        (NewService("x"), "is not a service name"),
        (NewService("json"), "json is taken"),
        (NewService("auth"), "auth is taken"),
        (NewService("inventory", port=8002), "--port 8002: orders uses it"),
        (NewService("inventory", calls=("nowhere",)), "--calls nowhere: no such service"),
        (NewService("inventory", resource="Part"), "--resource 'Part'"),
        (NewService("inventory", resource="page"), "--resource page"),
    ],
)
def test_a_refused_service_writes_nothing(root: Path, ask: NewService, why: str) -> None:
    before = _tree(root)

    with pytest.raises(Refused, match=why):
        create(root, ask)

    assert _tree(root) == before


def test_a_folder_without_a_descriptor_is_taken_too(root: Path) -> None:
    (root / "services/inventory").mkdir()

    with pytest.raises(Refused, match="a service named inventory exists"):
        create(root, NewService("inventory"))


def test_one_refusal_names_every_problem(root: Path) -> None:
    with pytest.raises(Refused) as refused:
        create(root, NewService("inventory", calls=("nowhere",), port=8001))

    assert "--calls nowhere" in str(refused.value)
    assert "--port 8001: accounts uses it" in str(refused.value)


def test_an_event_another_service_publishes_is_refused(root: Path) -> None:
    create(root, NewService("inventory"))

    with pytest.raises(Refused, match=r"inventory publishes item\.created already"):
        create(root, NewService("stock"))
