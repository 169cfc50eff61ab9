"""compose generates its secrets on the first start and fills them into each container's settings:
its two scripts run here as the containers run them (no engine needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from argon2 import PasswordHasher

from fleet.tests.checkout import ROOT, compose

SCRIPTS = ROOT / "docker" / "secrets"
HASH = [
    sys.executable,
    "-c",
    "import os, argon2; print(argon2.PasswordHasher().hash(os.environ['USERS_CLIENT_SECRET']))",
]


def _generate(folder: Path) -> dict[str, str]:
    subprocess.run([sys.executable, str(SCRIPTS / "generate.py"), str(folder), *HASH], check=True)
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
    assert len(first["DEVICES_CLIENT_SECRET"]) >= 32
    assert (tmp_path / "postgres_password").read_text() == first["POSTGRES_PASSWORD"]


def test_devices_logs_in_with_the_secret_whose_hash_users_holds(tmp_path: Path) -> None:
    _generate(tmp_path)
    users, devices = _container_env(tmp_path, "users"), _container_env(tmp_path, "devices")
    stored = json.loads(users["USERS__SERVICE_ACCOUNTS"])["devices"]
    assert PasswordHasher().verify(stored, devices["DEVICES__ACCOUNT__CLIENT_SECRET"])


def test_every_setting_gets_the_generated_passwords_and_no_placeholder_is_left(
    tmp_path: Path,
) -> None:
    secrets = _generate(tmp_path)
    for name in ("users", "tasks", "devices"):
        env = _container_env(tmp_path, name)
        prefix = f"{name.upper()}__"
        assert not [k for k, v in env.items() if k.startswith(prefix) and "${" in v]
        assert (
            f":{secrets['POSTGRES_PASSWORD']}@postgres:5432/{name}" in env[f"{prefix}DATABASE__URL"]
        )
        assert f":{secrets[name.upper() + '_MQTT_PASSWORD']}@mosquitto" in env[f"{prefix}MQTT__URL"]
