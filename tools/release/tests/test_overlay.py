from pathlib import Path

import pytest

from release.overlay import OverlayError, image_tag, set_image_tag

KUSTOMIZATION = """\
# users in dev: what Argo CD syncs.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../rendered/users
images:
  - name: fleet/users
    newName: registry.example/fleet/users
    # Bumped by the release workflow; revert that commit to roll back.
    newTag: v20261101.1-develop
  - name: busybox  # a sidecar, pinned
    newTag: "1.36"
"""


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    path = tmp_path / "kustomization.yaml"
    path.write_text(KUSTOMIZATION)
    return path


def test_bump_changes_only_the_tag_line(overlay: Path) -> None:
    assert set_image_tag(overlay, "fleet/users", "v20261123.42-develop")
    assert overlay.read_text() == KUSTOMIZATION.replace(
        "v20261101.1-develop", "v20261123.42-develop"
    )


def test_reads_the_tag_an_overlay_deploys(overlay: Path) -> None:
    assert image_tag(overlay, "fleet/users") == "v20261101.1-develop"


def test_bumping_to_the_current_tag_changes_nothing(overlay: Path) -> None:
    assert not set_image_tag(overlay, "fleet/users", "v20261101.1-develop")
    assert overlay.read_text() == KUSTOMIZATION


def test_an_image_the_overlay_does_not_deploy_is_an_error(overlay: Path) -> None:
    with pytest.raises(OverlayError, match="no `images:` entry named 'fleet/tasks'"):
        set_image_tag(overlay, "fleet/tasks", "v20261123.42-develop")


def test_a_tag_the_tool_did_not_make_is_refused(overlay: Path) -> None:
    with pytest.raises(OverlayError, match="not a release tag"):
        set_image_tag(overlay, "fleet/users", "latest")
    assert overlay.read_text() == KUSTOMIZATION
