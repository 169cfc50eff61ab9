"""`release release` as _release.yml runs it: bump, commit, git tag and push to a real remote."""

import json
from pathlib import Path

from typer.testing import CliRunner

from release.cli import app
from release.tests.gitrepos import bare_remote, clone, git

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
