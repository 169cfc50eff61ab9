"""compose generates its secrets on the first start and fills them into each container's settings:
its two scripts run here as the containers run them (no engine needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from fleet.descriptor import descriptors, identity_of
from fleet.tests.checkout import ROOT, compose

SCRIPTS = ROOT / "docker" / "secrets"
FLEET = descriptors(ROOT)
IDENTITY = identity_of(FLEET)
ACCOUNTS = sorted(d.name for d in FLEET.values() if d.account)
# The identity service's `hash-secret`: the hash of the secret in the variable it is told.
HASH = [
    sys.executable,
    "-c",
    "import os, argon2; secret = os.environ[os.environ['FLEET_HASH_SECRET_ENV']]; "
    "print(argon2.PasswordHasher().hash(secret))",
]


def _generate(folder: Path) -> dict[str, str]:
    """What the secrets container writes, given the environment compose gives it."""
    accounts = {k: str(v) for k, v in compose()["services"]["secrets"]["environment"].items()}
    subprocess.run(
        [sys.executable, str(SCRIPTS / "generate.py"), str(folder), *HASH],
        env={"PATH": os.environ.get("PATH", ""), **accounts},
        check=True,
    )
    return dict(line.split("=", 1) for line in (folder / "secrets.env").read_text().splitlines())


def _container_env(folder: Path, name: str) -> dict[str, str]:
    """What the service's process gets: compose's environment ($$ unescaped), filled in."""
    declared = {
        k: str(v).replace("$$", "$") for k, v in compose()["services"][name]["environment"].items()
    }
    dump = "import json, os; print(json.dumps(dict(os.environ)))"
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "with_secrets.py"), sys.executable, "-c", dump],
        env={"FLEET_SECRETS_FILE": str(folder / "secrets.env"), **declared},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))


def test_compose_writes_no_secret_of_its_own() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "local-only" not in text
    assert "argon2id" not in text


def test_the_first_start_generates_random_secrets_and_later_starts_keep_them(
    tmp_path: Path,
) -> None:
    first = _generate(tmp_path)
    again = _generate(tmp_path)
    (tmp_path / "another-clone").mkdir()
    other = _generate(tmp_path / "another-clone")
    assert again == first
    assert first["POSTGRES_PASSWORD"] != other["POSTGRES_PASSWORD"]
    assert all(len(first[f"{n.upper()}_CLIENT_SECRET"]) >= 32 for n in ACCOUNTS)
    assert (tmp_path / "postgres_password").read_text() == first["POSTGRES_PASSWORD"]


def test_the_fleet_has_service_accounts() -> None:
    assert ACCOUNTS
    assert IDENTITY is not None


@pytest.mark.parametrize("name", ACCOUNTS)
def test_an_account_logs_in_with_the_secret_whose_hash_the_identity_service_holds(
    tmp_path: Path, name: str
) -> None:
    assert IDENTITY is not None
    _generate(tmp_path)
    identity, service = _container_env(tmp_path, IDENTITY.name), _container_env(tmp_path, name)
    stored = json.loads(identity[f"{IDENTITY.name.upper()}__SERVICE_ACCOUNTS"])[name]
    assert PasswordHasher().verify(stored, service[f"{name.upper()}__ACCOUNT__CLIENT_SECRET"])


def test_every_setting_gets_the_generated_passwords_and_no_placeholder_is_left(
    tmp_path: Path,
) -> None:
    secrets = _generate(tmp_path)
    for service in FLEET.values():
        env = _container_env(tmp_path, service.name)
        prefix = f"{service.name.upper()}__"
        assert not [k for k, v in env.items() if k.startswith(prefix) and "${" in v]
        if service.database:
            database = f":{secrets['POSTGRES_PASSWORD']}@postgres:5432/{service.name}"
            assert database in env[f"{prefix}DATABASE__URL"]
        if service.mqtt:
            password = secrets[f"{service.name.upper()}_MQTT_PASSWORD"]
            assert f":{password}@mosquitto" in env[f"{prefix}MQTT__URL"]
