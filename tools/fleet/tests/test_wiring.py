import dataclasses
import json
import socket
from pathlib import Path

from fleet.catalog import Service
from fleet.wiring import FleetPlan, ServiceAccount, replica_env, service_env

# What the services' descriptors say (services/<name>/service.toml), on other ports.
SERVICES = {
    "users": Service(
        "users", 9001, Path("/dist/users.pex"), identity=True, database=True, mqtt=True
    ),
    "tasks": Service(
        "tasks", 9002, Path("/dist/tasks.pex"), calls=("users",), database=True, mqtt=True
    ),
    "devices": Service(
        "devices",
        9003,
        Path("/dist/devices.pex"),
        calls=("users", "tasks"),
        account=True,
        database=True,
        mqtt=True,
        single_replica={"INGEST__SHARE_GROUP": ""},
    ),
}


def _plan(*names: str) -> FleetPlan:
    return FleetPlan(
        host="127.0.0.1",
        services=tuple(SERVICES[n] for n in names),
        mqtt_url="mqtt://127.0.0.1:9883",
        mqtt_protocol="3.1.1",
        database_urls={n: f"sqlite:////state/{n}.sqlite3" for n in names},
        accounts={"devices": ServiceAccount("devices", "s3cret", "$argon2id$hash")},
        state_dir=Path("/state"),
    )


def test_no_service_is_handed_a_worker_id() -> None:
    # Each process claims its own from its database (chassis.db.worker_lease).
    plan = _plan("users", "tasks", "devices")
    assert not any("WORKER_ID" in key for s in plan.services for key in service_env(s, plan))


def test_every_service_gets_its_port_database_broker_and_the_users_keys() -> None:
    plan = _plan("users", "tasks", "devices")
    env = service_env(plan.services[1], plan)
    assert env["TASKS__HTTP__PORT"] == "9002"
    assert env["TASKS__DATABASE__URL"] == "sqlite:////state/tasks.sqlite3"
    assert env["TASKS__MQTT__URL"] == "mqtt://127.0.0.1:9883"
    assert env["TASKS__MQTT__PROTOCOL"] == "3.1.1"
    assert env["TASKS__AUTH__JWKS_URL"] == "http://127.0.0.1:9001/.well-known/jwks.json"
    assert env["TASKS__USERS__BASE_URL"] == "http://127.0.0.1:9001"


def test_a_fleet_sharing_a_small_server_gives_every_database_service_its_pool() -> None:
    plan = dataclasses.replace(_plan("users", "tasks"), pool_size=2)
    assert service_env(plan.services[1], plan)["TASKS__DATABASE__POOL_SIZE"] == "2"


def test_a_fleet_the_server_holds_leaves_the_pools_to_the_services() -> None:
    plan = _plan("users", "tasks")
    assert not any("POOL_SIZE" in key for s in plan.services for key in service_env(s, plan))


def test_devices_calls_users_and_tasks_with_its_service_account() -> None:
    plan = _plan("users", "tasks", "devices")
    env = service_env(plan.services[2], plan)
    assert env["DEVICES__TASKS__BASE_URL"] == "http://127.0.0.1:9002"
    assert env["DEVICES__USERS__BASE_URL"] == "http://127.0.0.1:9001"
    assert env["DEVICES__ACCOUNT__CLIENT_ID"] == "devices"
    assert env["DEVICES__ACCOUNT__CLIENT_SECRET"] == "s3cret"


def test_the_lone_devices_replica_subscribes_without_a_shared_group() -> None:
    plan = _plan("users", "tasks", "devices")
    assert service_env(plan.services[2], plan)["DEVICES__INGEST__SHARE_GROUP"] == ""


def test_users_knows_the_hash_of_each_account_and_keeps_its_keys_in_the_state_folder() -> None:
    plan = _plan("users", "tasks", "devices")
    env = service_env(plan.services[0], plan)
    assert json.loads(env["USERS__SERVICE_ACCOUNTS"]) == {"devices": "$argon2id$hash"}
    assert env["USERS__TOKENS__KEYS_DIR"] == "/state/users/keys"


def test_a_missing_callee_is_left_to_the_service_defaults() -> None:
    plan = _plan("tasks")
    env = service_env(plan.services[0], plan)
    assert "TASKS__USERS__BASE_URL" not in env
    assert "TASKS__AUTH__JWKS_URL" not in env


def test_a_service_without_an_account_gets_no_credentials_even_if_one_was_made() -> None:
    plan = _plan("users", "tasks", "devices")
    env = service_env(plan.services[1], plan)
    assert not any("ACCOUNT__" in key for key in env)


def test_devices_replicas_split_telemetry_in_its_shared_group_a_single_one_does_not() -> None:
    single = _plan("users", "tasks", "devices")
    replicated = dataclasses.replace(single, replicas={"devices": 2})
    assert service_env(single.services[2], single)["DEVICES__INGEST__SHARE_GROUP"] == ""
    assert "DEVICES__INGEST__SHARE_GROUP" not in service_env(single.services[2], replicated)


def test_each_replica_slot_keeps_its_own_mqtt_client_id_with_a_bounded_session() -> None:
    plan = dataclasses.replace(_plan("users", "tasks"), replicas={"tasks": 2})
    slots = [replica_env(plan.services[1], plan, slot) for slot in (0, 1)]
    host = socket.gethostname()
    assert [s["TASKS__MQTT__CLIENT_ID"] for s in slots] == [f"tasks-{host}-0", f"tasks-{host}-1"]
    assert all(int(s["TASKS__MQTT__SESSION_EXPIRY"]) <= 600 for s in slots)
    assert replica_env(plan.services[0], plan, 0) == {}  # users runs once: the chassis default


def test_a_checkout_secrets_file_is_named_to_its_service_only_when_it_exists(
    tmp_path: Path,
) -> None:
    secrets = tmp_path / ".secrets.toml"
    tasks = dataclasses.replace(SERVICES["tasks"], secrets=secrets)
    plan = dataclasses.replace(_plan("users", "tasks"), services=(SERVICES["users"], tasks))
    assert "TASKS_SECRETS_FILE" not in service_env(tasks, plan)
    secrets.write_text('[users]\nbase_url = "http://elsewhere"\n')
    assert service_env(tasks, plan)["TASKS_SECRETS_FILE"] == str(secrets)


def test_with_a_trace_receiver_every_service_traces_to_it_exporting_within_a_second() -> None:
    plan = dataclasses.replace(
        _plan("users", "tasks", "devices"), traces_url="http://127.0.0.1:9000/v1/traces"
    )
    for service in plan.services:
        env = service_env(service, plan)
        p = service.env_prefix
        assert env[f"{p}TRACING__ENABLED"] == "true"
        assert env[f"{p}TRACING__ENDPOINT"] == "http://127.0.0.1:9000/v1/traces"
        assert float(env[f"{p}TRACING__EXPORT_DELAY"]) <= 1.0


def test_without_a_trace_receiver_tracing_is_left_off() -> None:
    plan = _plan("users", "tasks", "devices")
    assert not any("TRACING__" in key for s in plan.services for key in service_env(s, plan))


def test_a_service_without_a_database_or_broker_is_given_neither() -> None:
    plain = Service("notes", 9004, Path("/dist/notes.pex"), calls=("users",))
    plan = dataclasses.replace(_plan("users"), services=(SERVICES["users"], plain))
    env = service_env(plain, plan)
    assert not [key for key in env if "DATABASE__" in key or "MQTT__" in key]
    assert env["NOTES__USERS__BASE_URL"] == "http://127.0.0.1:9001"
