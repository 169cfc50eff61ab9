"""Every setting Fleet sets names a real setting of its service: compose's environment, the local
runner's wiring, the rendered manifests and the overlays. A service refuses a variable it does
not know at start, so a wrong name here is a service that cannot start there. Each service's
own pex judges (`check-config`): nothing here imports a service."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from fleet.tests.checkout import SERVICES, compose, environment_env, rendered_env, runner_env

# Named like a setting of some service (USERS__HTTP__PORT): read by that service alone.
SETTING = re.compile(r"^[A-Z][A-Z0-9_]*__")
# Compose interpolation: ${VAR:-default} (the defaults `up` runs with on a fresh clone), $$.
INTERPOLATION = re.compile(r"\$\$|\$\{[A-Z0-9_]+(?::?-([^}]*))?\}")


def _check(
    dist: Path, name: str, variables: Mapping[str, str], *, names_only: bool = False
) -> subprocess.CompletedProcess[str]:
    return _run(dist, name, ["check-config", *(["--names-only"] if names_only else [])], variables)


def _run(
    dist: Path,
    name: str,
    command: list[str],
    variables: Mapping[str, str],
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`command` of service `name`'s pex with `variables` and none of this process's settings."""
    pex = dist / f"services.{name}" / "pex.pex"
    environment = {k: v for k, v in os.environ.items() if not SETTING.match(k)} | dict(variables)
    return subprocess.run(
        [str(pex), *command],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _interpolated(value: str) -> str:
    def default(match: re.Match[str]) -> str:
        return "$" if match.group(0) == "$$" else (match.group(1) or "").replace("$$", "$")

    return INTERPOLATION.sub(default, value)


def test_compose_sets_settings_only_on_the_service_they_belong_to() -> None:
    for container, entry in compose()["services"].items():
        for variable in entry.get("environment") or {}:
            if SETTING.match(variable):
                owner = variable.split("__", 1)[0].lower()
                assert owner == container, f"{container} sets {variable}: read by {owner}"
                assert owner in SERVICES, f"{container} sets {variable}: no services/{owner}"


@pytest.mark.parametrize("name", SERVICES)
def test_the_environment_compose_gives_a_service_starts_it(name: str, dist: Path) -> None:
    environment = compose()["services"][name]["environment"]
    variables = {k: _interpolated(str(v)) for k, v in environment.items()}
    result = _check(dist, name, variables)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_the_environment_the_local_runner_gives_a_service_starts_it(name: str, dist: Path) -> None:
    variables = runner_env(
        name,
        host="127.0.0.1",
        mqtt_url="mqtt://127.0.0.1:1883",
        database="sqlite:///state/{name}.sqlite3",
    )
    result = _check(dist, name, variables)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_every_variable_the_manifests_set_names_a_setting_of_their_service(
    name: str, dist: Path
) -> None:
    variables = rendered_env(name)
    prefix = f"{name.upper()}__"
    assert [v for v in variables if SETTING.match(v) and not v.startswith(prefix)] == []
    result = _check(dist, name, variables, names_only=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_the_tracing_every_environment_gives_a_service_is_valid_for_it(
    name: str, dist: Path
) -> None:
    # Values judged too (an endpoint that is no URL, a ratio above 1): the rest stays default.
    prefix = f"{name.upper()}__TRACING__"
    for env, variables in environment_env(name).items():
        tracing = {k: v for k, v in variables.items() if k.startswith(prefix)}
        assert f"{prefix}ENABLED" in tracing, env
        result = _check(dist, name, tracing)
        assert result.returncode == 0, f"{env}: {result.stderr}"


def test_a_service_pex_refuses_to_migrate_with_a_variable_it_does_not_know(
    dist: Path, tmp_path: Path
) -> None:
    result = _run(dist, "users", ["migrate"], {"USERS__AUTHX__FOO": "x"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "authx: unknown key (from environment variable USERS__AUTHX__FOO)" in result.stderr
    assert "did you mean auth?" in result.stderr


def test_a_service_pex_reads_the_secrets_file_its_variable_names_in_the_working_directory(
    dist: Path, tmp_path: Path
) -> None:
    # A pex runs its package from an unpacked copy: the file beside it is never the operator's.
    (tmp_path / "users-secrets.toml").write_text('[tokenz]\nsigning_key = "pem"\n')
    variables = {"USERS_SECRETS_FILE": "users-secrets.toml"}
    result = _run(dist, "users", ["check-config"], variables, cwd=tmp_path)
    assert result.returncode == 2
    assert f"tokenz: unknown key (from {tmp_path / 'users-secrets.toml'})" in result.stderr
