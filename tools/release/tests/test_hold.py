"""A new service is held at zero replicas until its first release: the release that gives it its
first tag in an environment lifts the hold there; a promotion carries no tag it never had."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from release.cli import app
from release.hold import is_held
from release.tests.pinned_layout import CONFIG, RENDER_KUSTOMIZATION

OVERLAY = """\
# inventory in {env}
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - {render}
images:
  - name: fleet/inventory
    # Bumped by the release workflow.
    newTag: {tag}
"""
HELD = "components:\n  - ../../../unreleased  # held at zero replicas until its first release\n"
# What `./fleet generate` puts where prod's pinned copy goes, until the first promotion.
STAND_IN = RENDER_KUSTOMIZATION.replace("manifests.yaml", "../../../../rendered/inventory")
STAGING = "deploy/overlays/staging/inventory/kustomization.yaml"
PROD = "deploy/overlays/prod/inventory"
TAG = "v20261201.4-main"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """inventory as `./fleet generate` seeds it: held in staging and prod, never released."""
    files = {
        "deploy/helm/values/inventory.yaml": "image:\n  repository: fleet/inventory\n",
        "deploy/rendered/inventory/kustomization.yaml": RENDER_KUSTOMIZATION,
        "deploy/rendered/inventory/manifests.yaml": CONFIG.format(port=8004),
        STAGING: OVERLAY.format(
            env="staging", render="../../../rendered/inventory", tag="unreleased"
        )
        + HELD,
        f"{PROD}/kustomization.yaml": OVERLAY.format(
            env="prod", render="rendered", tag="unreleased"
        )
        + HELD,
        f"{PROD}/rendered/kustomization.yaml": STAND_IN,
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return tmp_path


def _release_tool(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _bump_staging(repo: Path) -> str:
    args = ["--repo", str(repo), "--env", "staging", "--tag", TAG, "--service", "inventory"]
    return _release_tool("bump", *args)


def test_the_first_release_lifts_the_hold_and_leaves_the_overlay_in_the_usual_shape(
    repo: Path,
) -> None:
    output = _bump_staging(repo)
    assert output == (
        f"staging: inventory -> {TAG} (its first release: no longer held at zero replicas)\n"
    )
    overlay = (repo / STAGING).read_text()
    assert overlay == OVERLAY.format(env="staging", render="../../../rendered/inventory", tag=TAG)


def test_lifting_the_hold_keeps_the_overlays_other_components(repo: Path) -> None:
    overlay = repo / STAGING
    overlay.write_text(overlay.read_text() + "  - ../../../external-secrets/inventory\n")
    _bump_staging(repo)
    assert not is_held(overlay)
    assert overlay.read_text().endswith(
        f"newTag: {TAG}\ncomponents:\n  - ../../../external-secrets/inventory\n"
    )


def test_a_promotion_leaves_a_service_the_source_still_holds_held(repo: Path) -> None:
    before = {p: p.read_text() for p in (repo / PROD).rglob("*.yaml")}
    assert _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod") == ""
    assert {p: p.read_text() for p in (repo / PROD).rglob("*.yaml")} == before


def test_the_first_promotion_pins_the_render_and_lifts_the_hold_in_prod(repo: Path) -> None:
    _bump_staging(repo)
    _release_tool("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    overlay = repo / PROD / "kustomization.yaml"
    assert overlay.read_text() == OVERLAY.format(env="prod", render="rendered", tag=TAG)
    pinned = repo / PROD / "rendered"
    assert (pinned / "manifests.yaml").read_text() == CONFIG.format(port=8004)
    assert (pinned / "kustomization.yaml").read_text().endswith(RENDER_KUSTOMIZATION)
