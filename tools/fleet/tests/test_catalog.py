from pathlib import Path

from fleet.catalog import discover, services_of
from fleet.config import FleetConfig


def _service(root: Path, folder: str, build: str) -> None:
    (root / "services" / folder).mkdir(parents=True)
    (root / "services" / folder / "BUILD").write_text(build)


def test_finds_every_fleet_service_users_first(tmp_path: Path) -> None:
    _service(tmp_path, "billing", 'fleet_service("billing")\n')
    _service(tmp_path, "tasks", 'fleet_service("tasks")\n')
    _service(tmp_path, "users", 'fleet_service(\n    "users", pex={})\n')
    _service(tmp_path, "notes", "python_sources()\n")
    assert discover(tmp_path) == ["users", "tasks", "billing"]


def test_points_each_service_at_its_pex_and_port(tmp_path: Path) -> None:
    config = FleetConfig.from_env(tmp_path, {"FLEET_TASKS_PORT": "9002"})
    users, tasks, billing = services_of(config, ["users", "tasks", "billing"])
    assert users.pex == tmp_path / "dist" / "services.users" / "pex.pex"
    assert (users.port, tasks.port, billing.port) == (8001, 9002, 8004)
    assert billing.env_prefix == "BILLING__"


def test_a_folder_with_only_a_descriptor_is_a_service_too(tmp_path: Path) -> None:
    (tmp_path / "services" / "tasks").mkdir(parents=True)
    (tmp_path / "services" / "tasks" / "service.toml").write_text("port = 8002\n")
    assert discover(tmp_path) == ["tasks"]


def test_each_service_gets_what_its_descriptor_says_it_calls(tmp_path: Path) -> None:
    _service(tmp_path, "tasks", 'fleet_service("tasks")\n')
    (tmp_path / "services" / "tasks" / "service.toml").write_text("port = 8002\ncalls = []\n")
    _service(tmp_path, "devices", 'fleet_service("devices")\n')
    (tmp_path / "services" / "devices" / "service.toml").write_text(
        'port = 8003\ncalls = ["tasks"]\n'
    )
    tasks, devices = services_of(FleetConfig.from_env(tmp_path, {}), ["tasks", "devices"])
    assert (tasks.calls, devices.calls) == ((), ("tasks",))
