from pathlib import Path

import pytest

from fleet.descriptor import (
    Descriptor,
    DescriptorError,
    Mqtt,
    descriptors,
    in_start_order,
    read,
)


def _describe(root: Path, name: str, text: str) -> Path:
    path = root / "services" / name / "service.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def test_reads_port_calls_account_and_identity_named_by_the_folder(tmp_path: Path) -> None:
    path = _describe(tmp_path, "devices", 'port = 8003\ncalls = ["tasks"]\naccount = true\n')
    assert read(path) == Descriptor("devices", 8003, calls=("tasks",), account=True)


def test_a_service_that_calls_nothing_needs_only_a_port(tmp_path: Path) -> None:
    assert read(_describe(tmp_path, "users", "port = 8001\n")) == Descriptor("users", 8001)


def test_refuses_an_unknown_key_naming_the_file_and_the_known_ones(tmp_path: Path) -> None:
    path = _describe(tmp_path, "tasks", "port = 8002\ncall = []\n")
    with pytest.raises(DescriptorError, match=r"tasks/service\.toml: unknown key call \(known:"):
        read(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("port = '8002'\n", "port must be a number 1-65535, got '8002'"),
        ("port = 8002\ncalls = 'users'\n", "calls must be a list of strings"),
        ("port = 8002\naccount = 'yes'\n", "account must be true or false"),
        ("port = \n", "not valid TOML"),
    ],
)
def test_refuses_a_malformed_value_saying_what_it_must_be(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DescriptorError, match=message):
        read(_describe(tmp_path, "tasks", text))


def test_a_fleet_refuses_a_call_to_a_service_it_does_not_have(tmp_path: Path) -> None:
    _describe(tmp_path, "tasks", 'port = 8002\ncalls = ["billing"]\n')
    with pytest.raises(DescriptorError, match=r"calls billing, which has no service\.toml"):
        descriptors(tmp_path)


def test_a_fleet_refuses_an_account_without_an_identity_service(tmp_path: Path) -> None:
    _describe(tmp_path, "devices", "port = 8003\naccount = true\n")
    with pytest.raises(DescriptorError, match="no service has identity = true"):
        descriptors(tmp_path)


def test_a_fleet_refuses_two_services_on_one_port(tmp_path: Path) -> None:
    _describe(tmp_path, "users", "port = 8001\nidentity = true\n")
    _describe(tmp_path, "tasks", "port = 8001\n")
    with pytest.raises(DescriptorError, match="port 8001 is taken by tasks, users"):
        descriptors(tmp_path)


def test_reads_database_mqtt_and_the_replicas_it_sets(tmp_path: Path) -> None:
    path = _describe(
        tmp_path,
        "tasks",
        'port = 8002\ndatabase = true\n[mqtt]\npublishes = ["task.created"]\n'
        "[replicas]\nprod = [4, 12]\n",
    )
    described = read(path)
    assert described.database
    assert described.mqtt == Mqtt(publishes=("task.created",))
    assert described.replicas == {"prod": (4, 12)}


def test_a_service_without_an_mqtt_table_does_not_use_the_broker(tmp_path: Path) -> None:
    assert read(_describe(tmp_path, "users", "port = 8001\n")).mqtt is None


@pytest.mark.parametrize(
    ("folder", "text", "message"),
    [
        ("Billing", "port = 8004\n", "'Billing' is not a service name"),
        ("tasks", "port = 8002\n[mqtt]\nsends = []\n", r"unknown key sends in \[mqtt\]"),
        ("tasks", "port = 8002\n[replicas]\nQA = [1, 1]\n", "replicas.QA: not an environment's"),
        ("tasks", "port = 8002\n[replicas]\nprod = [3, 2]\n", "1 <= min <= max, got"),
    ],
)
def test_refuses_a_bad_name_table_or_replica_bounds(
    tmp_path: Path, folder: str, text: str, message: str
) -> None:
    with pytest.raises(DescriptorError, match=message):
        read(_describe(tmp_path, folder, text))


def test_a_fleet_refuses_an_event_consumed_that_nobody_publishes(tmp_path: Path) -> None:
    _describe(tmp_path, "devices", 'port = 8003\n[mqtt]\nconsumes = ["task.completed"]\n')
    with pytest.raises(DescriptorError, match=r"consumes task\.completed, which no service"):
        descriptors(tmp_path)


def test_a_fleet_refuses_one_event_type_published_by_two_services(tmp_path: Path) -> None:
    _describe(tmp_path, "tasks", 'port = 8002\n[mqtt]\npublishes = ["done"]\n')
    _describe(tmp_path, "jobs", 'port = 8004\n[mqtt]\npublishes = ["done"]\n')
    with pytest.raises(DescriptorError, match="done is published by jobs, tasks"):
        descriptors(tmp_path)


def test_the_start_order_puts_identity_first_and_every_callee_before_its_caller(
    tmp_path: Path,
) -> None:
    _describe(tmp_path, "alpha", 'port = 8005\ncalls = ["tasks"]\n')
    _describe(tmp_path, "devices", 'port = 8003\ncalls = ["tasks", "users"]\n')
    _describe(tmp_path, "tasks", 'port = 8002\ncalls = ["users"]\n')
    _describe(tmp_path, "users", "port = 8001\nidentity = true\n")
    order = [d.name for d in in_start_order(descriptors(tmp_path))]
    assert order == ["users", "tasks", "alpha", "devices"]


def test_reads_the_settings_of_a_single_process_as_its_variables(tmp_path: Path) -> None:
    text = 'port = 8003\n[single_replica]\nworkers = 1\n[single_replica.ingest]\nshare_group = ""\n'
    described = read(_describe(tmp_path, "devices", text))
    assert described.single_replica == {"WORKERS": "1", "INGEST__SHARE_GROUP": ""}


def test_refuses_a_single_replica_setting_that_is_no_value(tmp_path: Path) -> None:
    path = _describe(tmp_path, "devices", "port = 8003\n[single_replica]\nhosts = [1, 2]\n")
    with pytest.raises(DescriptorError, match=r"single_replica\.hosts must be a string, number"):
        read(path)
