"""Developing in containers, proved without a container engine: docker-compose.dev.yml runs each
service's `dev` stage and has `docker compose watch` copy its sources and shared/'s where that
stage keeps them, and the code-server profile stays off by default and on the host's loopback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from fleet.tests.checkout import ROOT, SERVICES, compose
from fleet.tests.dockerfile import instructions

DEV_COMPOSE = ROOT / "docker-compose.dev.yml"
SHARED = sorted(p.name for p in (ROOT / "shared").iterdir() if (p / "__init__.py").is_file())


def _dev(name: str) -> dict[str, Any]:
    entry: dict[str, Any] = YAML(typ="safe").load(DEV_COMPOSE.read_text())["services"][name]
    return entry


def _owned_by_the_fleet_user() -> dict[str, str]:
    """The package folders the dev stage gives the fleet user: package -> folder in the image."""
    run = " ".join(arguments for keyword, arguments in instructions("dev") if keyword == "RUN")
    site = re.search(r"\bsite=(\S+)", run)
    owned = re.search(r"chown -R fleet:fleet ((?:\"\$site/[^\"]+\" ?)+)", run)
    assert site is not None
    assert owned is not None
    folders = re.findall(r"\"\$site/([^\"]+)\"", owned.group(1))
    return {folder: f"{site.group(1)}/{folder}" for folder in folders}


def test_the_dev_override_follows_the_compose_spec() -> None:
    check = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check), "--builtin-schema", "vendor.compose-spec", str(DEV_COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_shared_packages_are_found() -> None:
    assert {"chassis", "contracts"} <= set(SHARED)


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_its_dev_stage_writable_under_its_own_tag(name: str) -> None:
    entry = _dev(name)
    assert entry["build"] == {"target": "dev"}
    assert entry["read_only"] is False  # watch writes into the container
    assert entry["image"] == f"fleet/{name}:dev" != compose()["services"][name]["image"]


@pytest.mark.parametrize("name", SERVICES)
def test_watch_copies_the_services_and_shared_sources_where_the_dev_stage_keeps_them(
    name: str,
) -> None:
    owned = _owned_by_the_fleet_user()  # {"${SERVICE}": ".../${SERVICE}", "chassis": ...}
    synced = {
        rule["path"]: rule["target"]
        for rule in _dev(name)["develop"]["watch"]
        if rule["action"].startswith("sync")
    }
    expected = {f"./services/{name}": owned["${SERVICE}"].replace("${SERVICE}", name)}
    expected |= {f"./shared/{package}": owned[package] for package in SHARED}
    assert synced == expected
    assert all((ROOT / path).is_dir() for path in synced)


@pytest.mark.parametrize("name", SERVICES)
def test_a_new_pex_rebuilds_the_services_dev_image(name: str) -> None:
    rebuilt = [r["path"] for r in _dev(name)["develop"]["watch"] if r["action"] == "rebuild"]
    copied = instructions("install")
    assert "dist/services.${SERVICE}/pex.pex /opt/fleet/service.pex" in dict(copied)["COPY"]
    assert rebuilt == [f"./dist/services.{name}/pex.pex"]


def test_plain_up_starts_no_dev_container() -> None:
    for name, entry in compose()["services"].items():
        if entry.get("build", {}).get("target") == "dev":
            assert "dev" in entry.get("profiles", []), name


def test_code_server_is_published_on_the_hosts_loopback_behind_its_password() -> None:
    entry = compose()["services"]["code-server"]
    command = entry["command"]
    assert entry["profiles"] == ["dev"]
    assert entry["ports"] == ["127.0.0.1:8443:8443"]
    assert command[command.index("--bind-addr") + 1].endswith(":8443")
    assert command[command.index("--auth") + 1] == "password"
    assert entry["user"] == "10001:10001"
