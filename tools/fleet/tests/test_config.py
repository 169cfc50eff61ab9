from pathlib import Path

import pytest

from fleet.config import ConfigError, FleetConfig


def test_uses_the_descriptors_ports_and_embedded_servers_by_default() -> None:
    config = FleetConfig.from_env(Path("/repo"), {})
    assert [config.port_of(n, p) for n, p in (("users", 8001), ("billing", 8010))] == [8001, 8010]
    assert config.monitor_port == 8000
    assert config.database_url is None
    assert config.mqtt_url is None
    assert config.state_dir == Path("/repo/.fleet")
    assert config.dist_dir == Path("/repo/dist")


def test_reads_ports_servers_and_password_from_fleet_variables() -> None:
    env = {
        "FLEET_USERS_PORT": "9001",
        "FLEET_MONITOR_PORT": "9000",
        "FLEET_MQTT_PORT": "9883",
        "FLEET_DATABASE_URL": "postgresql://postgres@db:5432/postgres",
        "FLEET_MQTT_URL": "mqtt://broker:1883",
        "FLEET_DEMO_PASSWORD": "a-long-demo-password",
        "FLEET_SERVICES": "users, tasks",
        "FLEET_READY_TIMEOUT": "30",
    }
    config = FleetConfig.from_env(Path("/repo"), env)
    assert config.port_of("users", 8001) == 9001
    assert config.port_of("tasks", 8002) == 8002
    assert (config.monitor_port, config.mqtt_port) == (9000, 9883)
    assert config.database_url == "postgresql://postgres@db:5432/postgres"
    assert config.mqtt_url == "mqtt://broker:1883"
    assert config.demo_password == "a-long-demo-password"
    assert config.only == ("users", "tasks")
    assert config.ready_timeout == 30.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FLEET_TASKS_PORT", "http"),
        ("FLEET_TASKS_PORT", "70000"),
        ("FLEET_READY_TIMEOUT", "0"),
        ("FLEET_TRACES_URL", "127.0.0.1:4318"),
    ],
)
def test_names_the_variable_that_holds_a_bad_value(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        FleetConfig.from_env(Path("/repo"), {name: value})


def test_reads_where_the_developer_s_own_backend_takes_traces() -> None:
    env = {"FLEET_TRACES_URL": "http://127.0.0.1:4318/v1/traces"}
    assert FleetConfig.from_env(Path("/repo"), env).traces_url == env["FLEET_TRACES_URL"]
    assert FleetConfig.from_env(Path("/repo"), {}).traces_url is None


def test_reads_replicas_per_service_from_fleet_replicas() -> None:
    env = {"FLEET_REPLICAS": "devices=2, tasks=3", "FLEET_DATABASE_URL": "postgresql://db/x"}
    config = FleetConfig.from_env(Path("/repo"), env)
    assert [config.replicas_of(n) for n in ("users", "tasks", "devices")] == [1, 3, 2]


@pytest.mark.parametrize("value", ["tasks", "tasks=two", "tasks=0", "=2", "tasks=99"])
def test_refuses_replicas_that_are_not_service_equals_count(value: str) -> None:
    with pytest.raises(ConfigError, match="FLEET_REPLICAS"):
        FleetConfig.from_env(Path("/repo"), {"FLEET_REPLICAS": value})


def test_refuses_replicas_on_sqlite_naming_the_variable_that_fixes_it() -> None:
    config = FleetConfig.from_env(Path("/repo"), {"FLEET_REPLICAS": "tasks=2"})
    with pytest.raises(ConfigError, match=r"replicas need PostgreSQL: .*FLEET_DATABASE_URL"):
        config.check_replicas(["users", "tasks"])


def test_refuses_replicas_of_a_service_the_fleet_does_not_run() -> None:
    env = {"FLEET_REPLICAS": "billing=2", "FLEET_DATABASE_URL": "postgresql://db/x"}
    config = FleetConfig.from_env(Path("/repo"), env)
    with pytest.raises(ConfigError, match="no service billing"):
        config.check_replicas(["users", "tasks"])
