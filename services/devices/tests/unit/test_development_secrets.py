"""devices refuses the repository's development secrets outside dev, naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import devices.main

DEV_SECRET = "devices-local-only-secret"  # docker-compose.yml's default before it generated one


def _devices(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A real process, as a pod starts it: the settings come from its environment.
    environ = (
        {k: v for k, v in os.environ.items() if not k.startswith("DEVICES__")}
        | {"PYTHONPATH": os.pathsep.join(sys.path)}
        | env
    )
    return subprocess.run(
        [sys.executable, "-m", devices.main.__name__, command],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_a_development_secret_in_staging_stops_the_service_naming_the_setting(
    command: str,
) -> None:
    result = _devices(
        command, DEVICES__ENVIRONMENT="staging", DEVICES__ACCOUNT__CLIENT_SECRET=DEV_SECRET
    )
    assert result.returncode == 2
    assert "account.client_secret: holds a development secret" in result.stderr
    assert "'staging'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_development_password_inside_a_url_is_found_too() -> None:
    url = "postgresql://postgres:fleet-local-only@db:5432/devices"
    result = _devices("check-config", DEVICES__ENVIRONMENT="prod", DEVICES__DATABASE__URL=url)
    assert result.returncode == 2
    assert "database.url: holds a development secret" in result.stderr


def test_dev_accepts_the_development_secret() -> None:
    result = _devices(
        "check-config", DEVICES__ENVIRONMENT="dev", DEVICES__ACCOUNT__CLIENT_SECRET=DEV_SECRET
    )
    assert result.returncode == 0, result.stderr
    assert "configuration valid" in result.stdout
