"""The committed compose files, filled in for this repository's fleet plus `stockroom`: the new
service runs wired as its descriptor says, and every list of services names it."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from scaffold import compose, compose_dev
from scaffold.tests.fleets import ROOT, STOCKROOM, this_repository, with_stockroom

IDENTITY = next(d for d in with_stockroom() if d.identity)


def _load(module: Any, fleet: list[Any]) -> dict[str, Any]:
    [artifact] = module.artifacts(fleet)
    text = artifact.render((ROOT / artifact.path).read_text())
    services: dict[str, Any] = YAML(typ="safe").load(text)["services"]
    return services


def _services() -> dict[str, Any]:
    return _load(compose, with_stockroom())


def test_a_new_service_runs_its_image_on_its_port_with_a_readiness_healthcheck() -> None:
    entry = _services()["stockroom"]
    assert entry["image"] == "fleet/stockroom:local"
    assert entry["build"]["args"] == {"SERVICE": "stockroom"}
    assert entry["ports"] == ["8904:8904"]
    assert "127.0.0.1:8904/health/ready" in " ".join(entry["healthcheck"]["test"])
    assert entry["read_only"] is True  # the shared service settings merged in


def test_a_new_service_is_wired_to_its_callees_the_identity_service_and_its_account() -> None:
    env = _services()["stockroom"]["environment"]
    assert env["STOCKROOM__TASKS__BASE_URL"] == "http://tasks:8002"
    assert (
        env["STOCKROOM__AUTH__JWKS_URL"]
        == f"http://{IDENTITY.name}:{IDENTITY.port}/.well-known/jwks.json"
    )
    assert env["STOCKROOM__ACCOUNT__CLIENT_ID"] == "stockroom"
    assert env["STOCKROOM__ACCOUNT__CLIENT_SECRET"] == "$${STOCKROOM_CLIENT_SECRET}"
    assert (
        env["STOCKROOM__MQTT__URL"] == "mqtt://stockroom:$${STOCKROOM_MQTT_PASSWORD}@mosquitto:1883"
    )


def test_a_service_without_a_database_gets_no_database_url_and_does_not_wait_for_postgres() -> None:
    entry = _services()["stockroom"]
    assert not [key for key in entry["environment"] if "DATABASE" in key]
    assert set(entry["depends_on"]) == {"secrets", "mosquitto", "jaeger", "tasks"}
    assert entry["depends_on"]["secrets"] == {"condition": "service_completed_successfully"}
    assert entry["depends_on"]["tasks"] == {"condition": "service_healthy"}


def test_the_identity_service_holds_every_accounts_hash() -> None:
    env = _services()[IDENTITY.name]["environment"]
    accounts = json.loads(env[f"{IDENTITY.name.upper()}__SERVICE_ACCOUNTS"])
    expected = {
        d.name: f"$${{{d.name.upper()}_CLIENT_SECRET_HASH}}" for d in with_stockroom() if d.account
    }
    assert "stockroom" in accounts
    assert accounts == expected


def test_the_secrets_and_the_broker_accounts_name_the_new_service() -> None:
    services = _services()
    secrets = services["secrets"]["environment"]
    assert "stockroom" in secrets["FLEET_MQTT_ACCOUNTS"].split()
    assert "stockroom" in secrets["FLEET_CLIENT_ACCOUNTS"].split()
    assert secrets["FLEET_HASH_SECRET_ENV"] == f"{IDENTITY.name.upper()}_CLIENT_SECRET"
    script = services["mosquitto-passwords"]["command"][0]
    assert 'mosquitto_passwd -b "$$f" stockroom "$$STOCKROOM_MQTT_PASSWORD"' in script


def test_the_monitor_waits_for_and_watches_every_service_in_the_fleets_order() -> None:
    monitor = _services()["monitor"]
    named = [d.name for d in with_stockroom()]
    assert list(monitor["depends_on"]) == named
    command = monitor["command"]
    watched = [command[i + 1].split("=")[0] for i, arg in enumerate(command) if arg == "--service"]
    assert watched == named


def test_the_hand_written_containers_stay_as_they_are() -> None:
    before, after = _load(compose, this_repository()), _services()
    for name in ("postgres", "mosquitto", "jaeger", "code-server"):
        assert after[name] == before[name]


def test_a_new_service_gets_its_dev_stage_synced_with_its_sources_and_the_shared_ones() -> None:
    entry = _load(compose_dev, with_stockroom())["stockroom"]
    assert entry["image"] == "fleet/stockroom:dev"
    synced = {
        rule["path"] for rule in entry["develop"]["watch"] if rule["action"] == "sync+restart"
    }
    assert synced == {"./services/stockroom", *(f"./shared/{p}" for p in compose_dev.SHARED)}
    assert STOCKROOM.name in _load(compose_dev, with_stockroom())


def test_the_simulator_runs_through_the_device_registrys_image_only_when_it_is_in_the_fleet() -> (
    None
):
    simulator = _services()["simulator"]
    [registry] = simulator["depends_on"]
    assert simulator["image"] == f"fleet/{registry}:local"
    without = [d for d in with_stockroom() if d.name != registry]
    assert "simulator" not in _load(compose, without)


def test_the_file_with_a_new_service_still_follows_the_compose_spec(tmp_path: Path) -> None:
    [artifact] = compose.artifacts(with_stockroom())
    rendered = tmp_path / "docker-compose.yml"
    rendered.write_text(artifact.render((ROOT / artifact.path).read_text()))
    check = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check), "--builtin-schema", "vendor.compose-spec", str(rendered)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
