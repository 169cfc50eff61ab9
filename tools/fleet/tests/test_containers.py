"""docker-compose.yml and the Dockerfile, proved without a container engine: the compose spec,
every service present with its healthcheck and the runner's wiring, dependencies that exist,
hadolint, and the broker's ACLs kept in step with the dev platform's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fleet.descriptor import descriptors
from fleet.tests.checkout import COMPOSE, ROOT, SERVICES, compose, runner_env

# What only the local runner sets: compose leaves them to the services' defaults (its own
# PostgreSQL serves the fleet alone; the runner shrinks pools to fit a shared server).
RUNNER_ONLY = ("MQTT__PROTOCOL", "LOGGING__FORMAT", "DATABASE__POOL_SIZE")


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_compose_file_follows_the_compose_spec() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_services_are_found() -> None:
    assert {"users", "tasks"} <= set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_its_image_on_its_port_with_a_readiness_healthcheck(name: str) -> None:
    entry = compose()["services"].get(name)
    assert entry is not None, f"docker-compose.yml has no entry for services/{name}"
    assert entry["build"]["args"] == {"SERVICE": name}
    assert entry["build"]["target"] == "prod"
    port = descriptors(ROOT)[name].port
    assert f"{port}:{port}" in entry["ports"]
    assert f"127.0.0.1:{port}/health/ready" in " ".join(entry["healthcheck"]["test"])
    assert entry["read_only"] is True
    assert entry["user"] == "10001:10001"


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_gets_the_environment_the_local_runner_gives_it(name: str) -> None:
    variables = runner_env(
        name,
        host="0.0.0.0",
        mqtt_url="mqtt://mosquitto:1883",
        database="postgresql://postgres@postgres/{name}",
    )
    expected = {key for key in variables if not key.endswith(RUNNER_ONLY)}
    environment = compose()["services"][name]["environment"]
    assert expected - set(environment) == set()


def test_every_container_has_a_healthcheck_and_depends_on_containers_that_exist() -> None:
    services = compose()["services"]
    for name, entry in services.items():
        assert "healthcheck" in entry, name
        for target, condition in entry.get("depends_on", {}).items():
            assert target in services, f"{name} depends on {target}, which is not in compose"
            assert condition["condition"] in (
                "service_healthy",
                "service_completed_successfully",
            ), name


def test_the_tracing_backend_takes_otlp_and_shows_its_ui_on_the_hosts_loopback_only() -> None:
    jaeger = compose()["services"]["jaeger"]
    assert jaeger["image"].startswith("jaegertracing/all-in-one:1.")
    assert jaeger["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    assert jaeger["ports"] == ["127.0.0.1:16686:16686"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_sends_its_traces_to_the_tracing_backend_once_it_is_up(name: str) -> None:
    entry = compose()["services"][name]
    prefix = f"{name.upper()}__TRACING__"
    assert entry["environment"][f"{prefix}ENABLED"] == "true"
    assert entry["environment"][f"{prefix}ENDPOINT"] == "http://jaeger:4318/v1/traces"
    assert entry["depends_on"]["jaeger"] == {"condition": "service_healthy"}


def test_the_broker_keeps_every_acl_of_the_dev_platform() -> None:
    dev = ROOT / "deploy" / "overlays" / "dev" / "platform" / "acl"
    compose = (ROOT / "docker" / "mosquitto" / "acl").read_text()
    missing = [line for line in dev.read_text().splitlines() if line not in compose.splitlines()]
    assert missing == []


def test_dockerfile_is_clean_for_hadolint() -> None:
    result = subprocess.run(
        [_tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_has_the_prod_stage_and_entrypoint_the_helm_chart_runs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert " AS prod" in dockerfile
    assert " AS dev" in dockerfile
    prod = dockerfile.split(" AS prod", 1)[1].split("\nFROM ", 1)[0]
    assert 'ENTRYPOINT ["/opt/fleet/venv/pex"]' in prod  # args: serve | migrate
    assert "USER 10001:10001" in prod
