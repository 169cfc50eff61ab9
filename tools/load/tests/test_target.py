import json
import os
from pathlib import Path

import pytest

from chassis.local import free_port
from load.target import FleetTarget, TargetError

PASSWORD = {"FLEET_DEMO_PASSWORD": "demo-password-123"}


def described(root: Path) -> None:
    """The services' descriptors, which give each its local port."""
    for name, port in (("users", 8001), ("tasks", 8002), ("devices", 8003)):
        (root / "services" / name).mkdir(parents=True)
        (root / "services" / name / "service.toml").write_text(f"port = {port}\n")


def running_fleet(root: Path, pid: int) -> None:
    """The state file `./fleet up` writes while it runs."""
    (root / ".fleet").mkdir()
    state = {
        "runner_pid": pid,
        "broker": "mqtt://127.0.0.1:41883",
        "services": {"users": "http://127.0.0.1:9001", "tasks": "http://127.0.0.1:9002"},
    }
    (root / ".fleet" / "fleet.json").write_text(json.dumps(state))


def test_defaults_to_the_descriptors_local_ports_without_a_running_fleet(tmp_path: Path) -> None:
    described(tmp_path)
    target = FleetTarget.from_env(PASSWORD, tmp_path)

    assert (target.users, target.tasks, target.devices) == (
        "http://127.0.0.1:8001",
        "http://127.0.0.1:8002",
        "http://127.0.0.1:8003",
    )
    assert target.broker == "mqtt://127.0.0.1:1883"


def test_aims_at_the_fleet_up_is_running(tmp_path: Path) -> None:
    described(tmp_path)
    running_fleet(tmp_path, os.getpid())

    target = FleetTarget.from_env({**PASSWORD, "FLEET_ROOT": str(tmp_path)}, Path("/"))

    assert (target.users, target.tasks) == ("http://127.0.0.1:9001", "http://127.0.0.1:9002")
    assert target.devices == "http://127.0.0.1:8003"  # not in the state: the default
    assert target.broker == "mqtt://127.0.0.1:41883"


def test_ignores_the_state_a_dead_runner_left(tmp_path: Path) -> None:
    described(tmp_path)
    running_fleet(tmp_path, 2**22 + 1)  # above Linux's default pid_max: no such process

    assert FleetTarget.from_env(PASSWORD, tmp_path).broker == "mqtt://127.0.0.1:1883"


def test_fleet_variables_win(tmp_path: Path) -> None:
    running_fleet(tmp_path, os.getpid())
    env = {
        **PASSWORD,
        "FLEET_USERS_URL": "http://users.test:81/",
        "FLEET_TASKS_URL": "http://tasks.test:82",
        "FLEET_DEVICES_URL": "http://devices.test:83",
        "FLEET_MQTT_URL": "mqtt://broker.test:1884",
    }

    target = FleetTarget.from_env(env, tmp_path)

    assert target.as_env() == {**env, "FLEET_USERS_URL": "http://users.test:81"}


def test_says_how_to_aim_at_a_service_it_cannot_find(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match=r"no URL for users: set FLEET_USERS_URL"):
        FleetTarget.from_env(PASSWORD, tmp_path)


def test_reads_the_demo_password_the_fleet_kept(tmp_path: Path) -> None:
    described(tmp_path)
    (tmp_path / ".fleet").mkdir()
    (tmp_path / ".fleet" / "demo-password").write_text("kept-by-fleet-up\n")

    assert FleetTarget.from_env({}, tmp_path).password == "kept-by-fleet-up"


def test_says_how_to_give_a_missing_password(tmp_path: Path) -> None:
    described(tmp_path)
    with pytest.raises(TargetError, match=r"set FLEET_DEMO_PASSWORD, or run \./fleet up once"):
        FleetTarget.from_env({}, tmp_path)


def test_names_the_urls_nothing_listens_on(tmp_path: Path) -> None:
    described(tmp_path)
    closed = free_port()
    env = {**PASSWORD, "FLEET_USERS_URL": f"http://127.0.0.1:{closed}"}
    target = FleetTarget.from_env({**env, "FLEET_MQTT_URL": f"mqtt://127.0.0.1:{closed}"}, tmp_path)

    assert f"http://127.0.0.1:{closed}" in target.unreachable(timeout=1)
    assert f"mqtt://127.0.0.1:{closed}" in target.unreachable(timeout=1)
