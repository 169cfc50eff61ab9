"""`release release` as _release.yml runs it: bump, commit, git tag and push to a real remote."""

import json
from pathlib import Path

from typer.testing import CliRunner

from release.cli import app
from release.tests.gitrepos import bare_remote, clone, git, reject_pushes

FILES = {
    "deploy/helm/values/users.yaml": "image:\n  repository: fleet/users\n",
    "deploy/overlays/dev/users/kustomization.yaml": (
        "images:\n  - name: fleet/users\n    newTag: v20261101.1-develop  # bumped\n"
    ),
}


def test_release_pushes_the_bump_with_a_git_tag(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path, FILES)
    runner = clone(remote, tmp_path / "runner")
    args = ["release", "--repo", str(runner), "--env", "dev", "--tag", "v20261123.5-develop"]
    result = CliRunner().invoke(app, [*args, "--services-json", json.dumps(["users"])])
    assert result.exit_code == 0, result.output
    assert "tagged dev/v20261123.5-develop (attempt 1)" in result.output
    overlay = git(remote, "show", "main:deploy/overlays/dev/users/kustomization.yaml")
    assert "newTag: v20261123.5-develop  # bumped" in overlay
    assert git(remote, "log", "-1", "--format=%s", "dev/v20261123.5-develop") == (
        "release(dev): users v20261123.5-develop"
    )


def test_release_without_services_is_refused(tmp_path: Path) -> None:
    args = ["release", "--repo", str(tmp_path), "--env", "dev", "--tag", "v20261123.5-develop"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert "name at least one service" in result.output


def _release(runner: Path, tag: str, *extra: str) -> tuple[int, str]:
    args = ["release", "--repo", str(runner), "--env", "dev", "--tag", tag, "--service", "users"]
    result = CliRunner().invoke(app, [*args, *extra])
    return result.exit_code, result.output


def test_release_records_the_commit_its_images_were_built_from(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path, FILES)
    runner = clone(remote, tmp_path / "runner")
    source = git(runner, "rev-parse", "HEAD")
    code, output = _release(runner, "v20261123.5-develop", "--released-from", source)
    assert code == 0, output
    trailer = git(remote, "log", "-1", "--format=%(trailers:key=Released-From,valueonly)", "main")
    assert trailer == source


def test_release_refuses_an_older_tag_and_pushes_nothing(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path, FILES)
    runner = clone(remote, tmp_path / "runner")
    assert _release(runner, "v20261205.42-develop")[0] == 0
    before = git(remote, "rev-parse", "main")
    code, output = _release(runner, "v20261101.5-develop")
    assert code == 1
    assert "dev/users runs v20261205.42-develop, newer than v20261101.5-develop" in output
    assert git(remote, "rev-parse", "main") == before


def test_release_rolls_back_when_asked_and_can_roll_forward_again(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path, FILES)
    runner = clone(remote, tmp_path / "runner")
    assert _release(runner, "v20261205.42-develop")[0] == 0
    code, output = _release(runner, "v20261101.5-develop", "--rollback")
    assert code == 0, output
    assert git(remote, "log", "-1", "--format=%s", "main") == (
        "release(dev): users v20261101.5-develop (rollback)"
    )
    # Forward to the same tag as before: its git tag moves to the new release commit.
    assert _release(runner, "v20261205.42-develop")[0] == 0
    overlay = git(remote, "show", "main:deploy/overlays/dev/users/kustomization.yaml")
    assert "newTag: v20261205.42-develop" in overlay
    assert git(remote, "rev-parse", "dev/v20261205.42-develop^{commit}") == git(
        remote, "rev-parse", "main"
    )


def test_release_prints_gits_own_error_when_the_push_is_rejected(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path, FILES)
    runner = clone(remote, tmp_path / "runner")
    reject_pushes(remote, "GH006: Protected branch update failed for refs/heads/main.")
    code, output = _release(runner, "v20261123.5-develop", "--attempts", "1")
    assert code == 1
    assert "error: could not push to origin/main after 1 attempt;" in output
    assert "remote: GH006: Protected branch update failed for refs/heads/main." in output
    assert "[remote rejected]" in output
    assert "Traceback" not in output
