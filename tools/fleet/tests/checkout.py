"""This checkout as the tools/fleet tests read it: services, compose, the rendered manifests,
the local runner's plan; and copies of it to change (`copy_checkout`)."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from fleet.catalog import discover, services_of
from fleet.config import FleetConfig
from fleet.wiring import FleetPlan, ServiceAccount, service_env

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = discover(ROOT)
# Every file of the checkout, where Pants puts the `//:repository-archive` runtime package.
REPOSITORY_ARCHIVE = Path("repository.tar")


def copy_checkout(root: Path, *folders: str) -> None:
    """`folders` of the checkout (`services`, `shared/chassis` ...) and pants.toml into `root`,
    from the repository archive: a tree a test may edit, never the real one."""
    with tarfile.open(REPOSITORY_ARCHIVE) as archive:
        wanted = [
            member
            for member in archive.getmembers()
            if member.name == "pants.toml"
            or any(member.name == f or member.name.startswith(f"{f}/") for f in folders)
        ]
        archive.extractall(root, members=wanted, filter="data")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text())
    return loaded


def rendered_env(name: str) -> dict[str, str]:
    """What the rendered pods of service `name` get: their env (a Secret's value as the
    placeholder `<secret NAME/KEY>`: it lives in the cluster) and the ConfigMaps they take whole,
    plus each overlay's generated settings."""
    variables = _manifest_env(name)
    for literals in overlay_settings(name).values():
        variables |= literals
    return variables


def environment_env(name: str) -> dict[str, dict[str, str]]:
    """Environment -> what service `name`'s pods get there: the render's, then its overlay's."""
    rendered = _manifest_env(name)
    return {env: rendered | literals for env, literals in overlay_settings(name).items()}


def overlay_settings(name: str) -> dict[str, dict[str, str]]:
    """Environment -> the settings its overlay of service `name` generates (configMapGenerator)."""
    settings: dict[str, dict[str, str]] = {}
    for overlay in sorted((ROOT / "deploy" / "overlays").glob(f"*/{name}/kustomization.yaml")):
        kustomization = YAML(typ="safe").load(overlay.read_text())
        literals = settings.setdefault(overlay.parent.parent.name, {})
        for generator in kustomization.get("configMapGenerator", []):
            literals |= dict(literal.split("=", 1) for literal in generator.get("literals", []))
    return settings


def _manifest_env(name: str) -> dict[str, str]:
    text = (ROOT / "deploy" / "rendered" / name / "manifests.yaml").read_text()
    docs = [doc for doc in YAML(typ="safe").load_all(text) if doc]
    config_maps = {
        d["metadata"]["name"]: d.get("data") or {} for d in docs if d["kind"] == "ConfigMap"
    }
    variables: dict[str, str] = {}
    for container in (c for doc in docs for c in _containers(doc)):
        for source in container.get("envFrom", []):
            ref = source.get("configMapRef", {}).get("name")
            variables |= {k: str(v) for k, v in config_maps.get(ref, {}).items()}
        for entry in container.get("env", []):
            secret = entry.get("valueFrom", {}).get("secretKeyRef")
            placeholder = f"<secret {secret['name']}/{secret['key']}>" if secret else ""
            variables[entry["name"]] = str(entry.get("value", placeholder))
    return variables


def _containers(doc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    pod = doc.get("spec", {}).get("template", {}).get("spec", {})
    yield from pod.get("initContainers", [])
    yield from pod.get("containers", [])


def runner_env(name: str, *, host: str, mqtt_url: str, database: str) -> dict[str, str]:
    """What the local runner gives service `name` when it plans every service of this checkout
    (their pools shrunk, as on a server too small for their own); `database` is a URL template
    with `{name}` (a SQLite file or a PostgreSQL database each)."""
    services = tuple(services_of(FleetConfig(root=ROOT), SERVICES))
    plan = FleetPlan(
        host=host,
        services=services,
        mqtt_url=mqtt_url,
        mqtt_protocol="5",
        database_urls={n: database.format(name=n) for n in SERVICES},
        accounts={"devices": ServiceAccount("devices", "secret", "$argon2id$hash")},
        state_dir=Path("/state"),
        pool_size=2,
    )
    return service_env(next(s for s in services if s.name == name), plan)
