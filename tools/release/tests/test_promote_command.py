"""`release promote --push` as promote.yml runs it, on real git repositories: prod receives the
render staging ran together with its tags, and a chart change on main reaches prod only so."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from release import yamlio
from release.cli import app
from release.tests.gitrepos import bare_remote, clone, commit_and_push, git
from release.tests.pinned_layout import CONFIG, PROD, STAGING, files


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_remote(tmp_path, files())


@pytest.fixture
def runner(remote: Path, tmp_path: Path) -> Path:
    """The promote job's checkout."""
    return clone(remote, tmp_path / "runner")


def _promote(runner: Path) -> None:
    args = ["promote", "--repo", str(runner), "--from", "staging", "--to", "prod", "--push"]
    result = CliRunner().invoke(app, [*args, "--run-number", "3"])
    assert result.exit_code == 0, result.output


def _build(checkout: Path, overlay: str) -> list[dict[str, Any]]:
    """What Argo CD would apply from `overlay` in `checkout` (kubectl kustomize)."""
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to build the overlays"
    result = subprocess.run(
        [kubectl, "kustomize", str(checkout / overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return yamlio.load_all(result.stdout)


def _port(objects: list[dict[str, Any]]) -> str:
    [settings] = [o for o in objects if o["kind"] == "ConfigMap"]
    return str(settings["data"]["USERS__HTTP__PORT"])


def test_promote_pushes_the_render_and_the_tags_in_one_commit(remote: Path, runner: Path) -> None:
    _promote(runner)
    changed = git(remote, "show", "--format=", "--name-only", "main").splitlines()
    assert sorted(changed) == [
        f"{PROD}/kustomization.yaml",
        f"{PROD}/rendered/kustomization.yaml",
        f"{PROD}/rendered/manifests.yaml",
    ]
    assert git(remote, "show", f"main:{PROD}/rendered/manifests.yaml") + "\n" == CONFIG.format(
        port=8001
    )
    assert "newTag: v20261120.5-main" in git(remote, "show", f"main:{PROD}/kustomization.yaml")
    assert re.fullmatch(r"prod/promote-\d{8}\.3", git(remote, "tag", "--points-at", "main"))
    assert git(remote, "log", "-1", "--format=%s", "main") == (
        "promote(prod): the images (and render) staging runs"
    )


def test_a_chart_change_on_main_reaches_prod_only_through_a_promotion(
    remote: Path, runner: Path, tmp_path: Path
) -> None:
    developer = clone(remote, tmp_path / "developer")
    before = _build(developer, PROD)
    # A chart change: `release render` rewrote deploy/rendered, merged to main.
    rendered = "deploy/rendered/users/manifests.yaml"
    commit_and_push(developer, rendered, CONFIG.format(port=8002), "chart: users on 8002")
    assert _build(developer, PROD) == before
    assert _port(_build(developer, STAGING)) == "8002"

    git(runner, "fetch", "-q", "origin")
    _promote(runner)
    git(developer, "pull", "-q", "--rebase", "origin", "main")
    promoted = _build(developer, PROD)
    assert _port(promoted) == "8002"
    assert promoted != before
