from pathlib import Path

import pytest

from fleet.catalog import discover, services_of
from fleet.config import FleetConfig
from fleet.descriptor import DescriptorError


def _service(root: Path, folder: str, descriptor: str, build: str | None = None) -> None:
    (root / "services" / folder).mkdir(parents=True)
    (root / "services" / folder / "service.toml").write_text(descriptor)
    if build is not None:
        (root / "services" / folder / "BUILD").write_text(build)


def test_finds_every_described_service_the_identity_first_then_callers_after_callees(
    tmp_path: Path,
) -> None:
    _service(tmp_path, "archive", 'port = 8011\ncalls = ["billing"]\n')
    _service(tmp_path, "billing", "port = 8010\n")
    _service(tmp_path, "users", "port = 8001\nidentity = true\n")
    (tmp_path / "services" / "notes").mkdir()  # no descriptor, no service
    assert discover(tmp_path) == ["users", "billing", "archive"]


def test_refuses_a_declared_service_without_a_descriptor(tmp_path: Path) -> None:
    _service(tmp_path, "users", "port = 8001\n", 'fleet_service("users")\n')
    (tmp_path / "services" / "billing").mkdir()
    (tmp_path / "services" / "billing" / "BUILD").write_text('fleet_service("billing")\n')
    with pytest.raises(DescriptorError, match=r"no service\.toml in services/billing"):
        discover(tmp_path)


def test_points_each_service_at_its_pex_and_its_descriptors_port_unless_overridden(
    tmp_path: Path,
) -> None:
    _service(tmp_path, "users", "port = 8001\n")
    _service(tmp_path, "billing", "port = 8010\n")
    config = FleetConfig.from_env(tmp_path, {"FLEET_USERS_PORT": "9001"})
    users, billing = services_of(config, ["users", "billing"])
    assert users.pex == tmp_path / "dist" / "services.users" / "pex.pex"
    assert (users.port, billing.port) == (9001, 8010)
    assert billing.env_prefix == "BILLING__"


def test_each_service_gets_what_its_descriptor_says_it_calls_and_sets_alone(
    tmp_path: Path,
) -> None:
    _service(tmp_path, "tasks", "port = 8002\ncalls = []\n")
    _service(
        tmp_path,
        "devices",
        'port = 8003\ncalls = ["tasks"]\n[single_replica.ingest]\nshare_group = ""\n',
    )
    tasks, devices = services_of(FleetConfig.from_env(tmp_path, {}), ["tasks", "devices"])
    assert (tasks.calls, devices.calls) == ((), ("tasks",))
    assert (tasks.single_replica, devices.single_replica) == ({}, {"INGEST__SHARE_GROUP": ""})


def test_refuses_a_service_without_a_descriptor(tmp_path: Path) -> None:
    with pytest.raises(DescriptorError, match=r"no service\.toml for billing"):
        services_of(FleetConfig.from_env(tmp_path, {}), ["billing"])
