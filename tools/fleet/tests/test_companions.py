import zipfile
from pathlib import Path

from fleet.catalog import Service
from fleet.companions import has_module, monitor, simulator, traces_url
from fleet.wiring import FleetPlan


def _plan(tmp_path: Path) -> FleetPlan:
    ports = {"users": 9001, "tasks": 9002, "devices": 9003}
    return FleetPlan(
        host="127.0.0.1",
        services=tuple(
            Service(n, p, tmp_path / f"{n}.pex", identity=n == "users") for n, p in ports.items()
        ),
        mqtt_url="mqtt://127.0.0.1:9883",
        mqtt_protocol="5",
        database_urls={},
        accounts={},
        state_dir=tmp_path,
    )


def _pex(path: Path, *names: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return path


def test_the_monitor_watches_every_service_in_order_and_gets_its_password_out_of_argv(
    tmp_path: Path,
) -> None:
    (tmp_path / "fleet-monitor.pex").touch()
    found = monitor(tmp_path, _plan(tmp_path), 9000, "demo-password-1", {})
    assert found is not None
    assert found.argv[1:] == [
        "serve", "--host", "127.0.0.1", "--port", "9000", "--broker", "mqtt://127.0.0.1:9883",
        "--service", "users=http://127.0.0.1:9001", "--service", "tasks=http://127.0.0.1:9002",
        "--service", "devices=http://127.0.0.1:9003",
        "--token-url", "http://127.0.0.1:9001/v1/auth/token",
    ]  # fmt: skip
    assert "demo-password-1" not in found.argv
    assert found.env["FLEET_MONITOR_PASSWORD"] == "demo-password-1"


def test_no_monitor_without_its_pex(tmp_path: Path) -> None:
    assert monitor(tmp_path, _plan(tmp_path), 9000, "pw", {}) is None


def test_the_services_trace_to_the_monitor_when_it_runs_and_not_otherwise(tmp_path: Path) -> None:
    assert traces_url(tmp_path, "127.0.0.1", 9000) is None
    (tmp_path / "fleet-monitor.pex").touch()
    assert traces_url(tmp_path, "127.0.0.1", 9000) == "http://127.0.0.1:9000/v1/traces"


def test_the_simulator_runs_from_the_devices_pex_when_it_has_one(tmp_path: Path) -> None:
    pex = _pex(tmp_path / "devices.pex", "devices/__init__.py", "devices/simulator.py")
    found = simulator(pex, "devices.simulator", _plan(tmp_path), ["1", "2"], {})
    assert found is not None
    assert found.env["PEX_MODULE"] == "devices.simulator"
    assert found.argv[1:3] == ["--ids", "1,2"]


def test_no_simulator_when_devices_has_none(tmp_path: Path) -> None:
    pex = _pex(tmp_path / "devices.pex", "devices/__init__.py")
    assert not has_module(pex, "devices.simulator")
    assert simulator(pex, "devices.simulator", _plan(tmp_path), ["1"], {}) is None
