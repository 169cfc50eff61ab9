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
