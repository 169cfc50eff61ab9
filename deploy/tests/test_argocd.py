"""Argo CD's objects are valid against the Argo CD CRD schemas and say what DESIGN.md says:
one Application per overlay folder, dev syncing itself, prod waiting for a person."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deploy.tests.support import LAYOUT, kustomize
from release import yamlio

ARGOCD = LAYOUT.root / "deploy" / "argocd"
VALIDATOR = ARGOCD / "validate"


@pytest.fixture(scope="module")
def validator() -> Path:
    """The schema validator with its npm packages (pinned by package-lock.json)."""
    if not (VALIDATOR / "node_modules" / "@kubernetes-models" / "argo-cd").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm (Node 20) is needed to install the Argo CD schemas")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=VALIDATOR, check=True
        )
    return VALIDATOR / "validate.mjs"


def _validate(validator: Path, objects: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node") or "node"
    return subprocess.run(
        [node, str(validator)], input=json.dumps(objects), capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def objects() -> dict[str, dict[str, Any]]:
    return {o["kind"]: o for o in kustomize(ARGOCD)}


def test_objects_match_the_argo_cd_schemas(validator: Path, objects: dict[str, Any]) -> None:
    result = _validate(validator, list(objects.values()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == 2


def test_the_validator_rejects_a_malformed_object(validator: Path, objects: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(objects["ApplicationSet"]))
    broken["spec"]["generators"] = "deploy/overlays"
    result = _validate(validator, [broken])
    assert result.returncode == 1
    assert "spec/generators must be array" in result.stdout


def test_one_application_per_overlay_folder(objects: dict[str, Any]) -> None:
    [generator] = objects["ApplicationSet"]["spec"]["generators"]
    assert generator["git"]["directories"] == [{"path": "deploy/overlays/*/*"}]
    template = objects["ApplicationSet"]["spec"]["template"]
    assert template["spec"]["source"]["path"] == "{{ .path.path }}"
    assert template["spec"]["project"] == objects["AppProject"]["metadata"]["name"]


def test_dev_syncs_itself_and_prod_waits_for_a_person(objects: dict[str, Any]) -> None:
    patch = objects["ApplicationSet"]["spec"]["templatePatch"]
    assert 'if not (hasPrefix "prod"' in patch
    automated = yamlio.load(patch.split("\n", 1)[1].rsplit("{{- end }}", 1)[0])
    assert automated["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}


def test_project_allows_only_this_repo_fleet_namespaces_and_the_rendered_kinds(
    objects: dict[str, Any],
) -> None:
    project = objects["AppProject"]["spec"]
    assert project["sourceRepos"] == [
        objects["ApplicationSet"]["spec"]["template"]["spec"]["source"]["repoURL"]
    ]
    assert [d["namespace"] for d in project["destinations"]] == ["fleet-*"]
    allowed = {w["kind"] for w in project["namespaceResourceWhitelist"]}
    deployed = {o["kind"] for folder in LAYOUT.overlays_dir.glob("*/*") for o in kustomize(folder)}
    assert deployed <= allowed
    assert "Secret" not in allowed
