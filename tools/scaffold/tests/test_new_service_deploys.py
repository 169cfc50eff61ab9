"""A fourth service's descriptor in a copy of the repository: generating gives it a values file the
chart renders, an overlay per environment that builds and holds it at zero replicas, and the
ExternalSecrets of what it reads; the other services' files stay as they were."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fleet.descriptor import descriptors, in_start_order
from release import render, yamlio
from release.hold import PLACEHOLDER
from release.layout import Layout
from scaffold import artifacts, overlays, secrets, values
from scaffold.tests.fleets import ROOT

# stockroom as `./fleet new stockroom --calls tasks` would describe it, with a database.
STOCKROOM = """\
summary = "parts, and reserving one for a task"
port = 8904
calls = ["tasks"]
account = true
database = true

[mqtt]
publishes = ["part.reserved"]

[replicas]
prod = [2, 6]
"""
ENVIRONMENTS = [e.name for e in overlays.environments(ROOT)]


def _generate(root: Path) -> list[str]:
    """What `./fleet generate` writes of the deployment: values and overlays, the render, the
    Secrets the overlays then read."""
    fleet = in_start_order(descriptors(root))
    envs = overlays.environments(root)
    written = artifacts.write(root, values.artifacts(fleet) + overlays.artifacts(fleet, envs))
    layout = Layout(root)
    stale = render.drift(layout, render.render_all(layout))
    render.write(layout, render.render_all(layout))
    return written + [f"deploy/rendered/{p}" for p in stale] + secrets.write(layout)


def _copy(root: Path) -> Path:
    """The deployment, docs and descriptors of this repository, in `root`."""
    shutil.copytree(ROOT / "deploy", root / "deploy")
    shutil.copytree(ROOT / "docs", root / "docs")
    for descriptor in (ROOT / "services").glob("*/service.toml"):
        (root / descriptor.relative_to(ROOT)).parent.mkdir(parents=True)
        shutil.copy(descriptor, root / descriptor.relative_to(ROOT))
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy(tmp_path_factory.mktemp("repo"))
    (root / "services/stockroom").mkdir()
    (root / "services/stockroom/service.toml").write_text(STOCKROOM)
    _generate(root)
    return root


def _build(folder: Path) -> dict[str, dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to build the overlays"
    result = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return {f"{o['kind']}/{o['metadata']['name']}": o for o in yamlio.load_all(result.stdout)}


def test_the_chart_renders_the_new_service_from_its_values_file(repo: Path) -> None:
    assert "stockroom" in Layout(repo).services()
    manifests = (repo / "deploy/rendered/stockroom/manifests.yaml").read_text()
    objects = {f"{o['kind']}/{o['metadata']['name']}": o for o in yamlio.load_all(manifests)}
    [container] = objects["Deployment/stockroom"]["spec"]["template"]["spec"]["containers"]
    secrets_read = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"]}
    assert secrets_read == {"stockroom-database", "stockroom-mqtt", "stockroom-account"}
    assert "Job/stockroom-migrations" in objects


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_environment_builds_the_new_service_held_at_zero_replicas(
    repo: Path, env: str
) -> None:
    objects = _build(repo / "deploy/overlays" / env / "stockroom")
    deployment = objects["Deployment/stockroom"]
    assert deployment["metadata"]["namespace"] == f"fleet-{env}"
    assert deployment["spec"]["replicas"] == 0
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == f"fleetacr.azurecr.io/fleet/stockroom:{PLACEHOLDER}"
    # No autoscaler to raise it, no migration Job to pull the image no release built yet.
    assert not [
        name for name in objects if name.split("/")[0] in {"HorizontalPodAutoscaler", "Job"}
    ]
    assert "Service/stockroom" in objects


def test_the_new_service_gets_an_external_secret_for_each_secret_it_reads(repo: Path) -> None:
    made = yamlio.load_all(
        (repo / "deploy/external-secrets/stockroom/external-secrets.yaml").read_text()
    )
    assert [o["metadata"]["name"] for o in made] == [
        "stockroom-account",
        "stockroom-database",
        "stockroom-mqtt",
        "stockroom-tls",
    ]
    assert "`stockroom-database`" in (repo / "docs/deploy.md").read_text()


def test_the_other_services_files_stay_as_they_were(repo: Path) -> None:
    for folder in ("helm/values", "rendered", "overlays", "external-secrets"):
        for committed in (ROOT / "deploy" / folder).rglob("*"):
            if committed.is_file():
                copy = repo / committed.relative_to(ROOT)
                assert copy.read_text() == committed.read_text(), copy


def test_generating_again_changes_nothing(repo: Path) -> None:
    assert _generate(repo) == []


def test_a_new_environment_is_one_file_and_every_service_gets_a_held_overlay_there(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    qa = root / "deploy/overlays/qa"
    qa.mkdir()
    staging = (root / "deploy/overlays/staging/environment.yaml").read_text()
    (qa / "environment.yaml").write_text(staging.replace("fleet-staging", "fleet-qa"))
    _generate(root)
    for service in Layout(root).services():
        objects = _build(qa / service)
        deployment = objects[f"Deployment/{service}"]
        assert deployment["metadata"]["namespace"] == "fleet-qa"
        assert deployment["spec"]["replicas"] == 0
