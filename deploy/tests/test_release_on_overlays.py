"""The release tool edits a copy of the real overlays exactly as the release workflow does."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from deploy.tests.support import LAYOUT, kustomize
from release.bump import promotion
from release.cli import app
from release.layout import Layout

TAG = "v20261123.42-develop"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(LAYOUT.root / "deploy", tmp_path / "deploy")
    return tmp_path


def _release_tool(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_bump_changes_one_line_per_service_and_keeps_comments(repo: Path) -> None:
    overlay = repo / "deploy/overlays/dev/users/kustomization.yaml"
    before = overlay.read_text()
    # The command the release workflow runs for an affected service.
    _release_tool("bump", "--repo", str(repo), "--env", "dev", "--tag", TAG, "--service", "users")
    changed = _changed_lines(before, overlay.read_text())
    assert changed == ["-    newTag: v20261123.1-develop", f"+    newTag: {TAG}"]
    assert "# Bumped by the release workflow" in overlay.read_text()


def test_bumped_overlay_deploys_the_new_image(repo: Path) -> None:
    _release_tool("bump", "--repo", str(repo), "--env", "dev", "--tag", TAG, "--service", "tasks")
    objects = kustomize(repo / "deploy/overlays/dev/tasks")
    [deployment] = [o for o in objects if o["kind"] == "Deployment"]
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == f"fleetacr.azurecr.io/fleet/tasks:{TAG}"


def test_bump_leaves_other_services_and_environments_alone(repo: Path) -> None:
    before = {p: p.read_text() for p in (repo / "deploy/overlays").rglob("kustomization.yaml")}
    _release_tool("bump", "--repo", str(repo), "--env", "dev", "--tag", TAG, "--service", "users")
    changed = [p for p, text in before.items() if p.read_text() != text]
    assert changed == [repo / "deploy/overlays/dev/users/kustomization.yaml"]


def test_promotion_gives_prod_exactly_stagings_tags(repo: Path) -> None:
    staging_tag = "v20261124.77-main"
    for service in LAYOUT.services():
        _release_tool(
            "bump", "--repo", str(repo), "--env", "staging", "--tag", staging_tag,
            "--service", service,
        )  # fmt: skip
    _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    for service in LAYOUT.services():
        objects = kustomize(repo / "deploy/overlays/prod" / service)
        [deployment] = [o for o in objects if o["kind"] == "Deployment"]
        image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
        assert image.endswith(f"/fleet/{service}:{staging_tag}")


def test_promotion_gives_prod_the_render_staging_runs(repo: Path) -> None:
    _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    for service in promotion(Layout(repo), "staging", "prod"):
        pinned = repo / "deploy/overlays/prod" / service / "rendered/manifests.yaml"
        live = repo / "deploy/rendered" / service / "manifests.yaml"
        assert pinned.read_text() == live.read_text()


def test_a_new_render_reaches_staging_at_once_and_prod_only_by_promotion(repo: Path) -> None:
    _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    prod_before = _build(repo / "deploy/overlays/prod/users")
    # What `release render` writes after a chart change (here: one more label on each object).
    live = repo / "deploy/rendered/users/manifests.yaml"
    label = "\n    app.kubernetes.io/part-of: fleet\n"
    live.write_text(live.read_text().replace(label, label + "    chart: next\n"))

    assert _labelled(_build(repo / "deploy/overlays/staging/users"))
    assert _build(repo / "deploy/overlays/prod/users") == prod_before
    _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    assert _labelled(_build(repo / "deploy/overlays/prod/users"))


def _build(folder: Path) -> list[dict[str, Any]]:
    # Uncached: the same folder builds differently as the test goes.
    return kustomize.__wrapped__(folder)


def _labelled(objects: list[dict[str, Any]]) -> bool:
    return any(o["metadata"].get("labels", {}).get("chart") == "next" for o in objects)
