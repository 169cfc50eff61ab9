"""An environment's last release, read from the release commits of real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from release.cli import app
from release.history import RELEASED_FROM, baseline, release_message
from release.tests.gitrepos import IDENTITY, bare_remote, clone, commit_and_push, git

OVERLAY = "deploy/overlays/{env}/users/kustomization.yaml"
KUSTOMIZATION = """\
images:
  - name: fleet/users
    newTag: v20261101.1-main  # bumped by releases
replicas:
  - name: users
    count: 1
"""
FILES = {
    "deploy/helm/values/users.yaml": "image:\n  repository: fleet/users\n",
    OVERLAY.format(env="dev"): KUSTOMIZATION,
    OVERLAY.format(env="staging"): KUSTOMIZATION,
    "services/users/app.py": "print('v1')\n",
}
DEV = Path("deploy/overlays/dev")


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_remote(tmp_path, FILES)


@pytest.fixture
def runner(remote: Path, tmp_path: Path) -> Path:
    """The release job's checkout."""
    return clone(remote, tmp_path / "runner")


@pytest.fixture
def developer(remote: Path, tmp_path: Path) -> Path:
    """Someone merging code (the source of releases) and editing overlays by hand."""
    return clone(remote, tmp_path / "developer")


def _code_change(developer: Path, text: str) -> str:
    commit_and_push(developer, "services/users/app.py", text, f"users: {text.strip()}")
    return git(developer, "rev-parse", "HEAD")


def _release(runner: Path, env: str, tag: str, *extra: str) -> None:
    args = ["release", "--repo", str(runner), "--env", env, "--tag", tag, "--service", "users"]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output


def _baseline(repo: Path, env: Path = DEV) -> str | None:
    git(repo, "fetch", "-q", "origin")
    return baseline(repo, env, "origin/main").since


def test_a_release_commit_names_its_source_in_a_git_trailer() -> None:
    message = release_message("release(dev): users v20261123.5-develop", "0a1b2c3")
    assert message == "release(dev): users v20261123.5-develop\n\nReleased-From: 0a1b2c3\n"
    assert RELEASED_FROM == "Released-From"


def test_a_source_that_is_not_a_commit_id_is_refused() -> None:
    with pytest.raises(ValueError, match="not a commit id"):
        release_message("release(dev): users v20261123.5-develop", "main; rm -rf /")


def test_without_any_release_every_service_is_affected(runner: Path) -> None:
    found = baseline(runner, DEV, "origin/main")
    assert found.since is None
    # The seed commit put a tag in the overlay without naming a source.
    assert "moved an image tag without naming its source" in found.reason


def test_the_last_release_names_the_commit_it_was_built_from(runner: Path, developer: Path) -> None:
    first = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", first)
    second = _code_change(developer, "print('v3')\n")
    _release(runner, "dev", "v20261123.6-develop", "--released-from", second)
    _code_change(developer, "print('v4')\n")  # merged, not released (a cancelled run)
    assert _baseline(runner) == second


def test_each_environment_has_its_own_last_release(runner: Path, developer: Path) -> None:
    dev_source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", dev_source)
    staging_source = _code_change(developer, "print('v3')\n")
    _release(runner, "staging", "v20261123.6-main", "--released-from", staging_source)
    assert _baseline(runner) == dev_source
    assert _baseline(runner, Path("deploy/overlays/staging")) == staging_source


def test_an_overlay_edit_that_moves_no_image_does_not_hide_the_last_release(
    runner: Path, developer: Path
) -> None:
    source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", source)
    path = developer / OVERLAY.format(env="dev")
    git(developer, "pull", "-q", "--rebase", "origin", "main")
    edited = path.read_text().replace("count: 1", "count: 2")
    commit_and_push(developer, OVERLAY.format(env="dev"), edited, "dev: two users")
    assert _baseline(runner) == source


def test_after_a_git_revert_of_a_release_every_service_is_affected(
    runner: Path, developer: Path
) -> None:
    source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", source)
    git(developer, "pull", "-q", "--rebase", "origin", "main")
    git(developer, *IDENTITY, "revert", "--no-edit", "HEAD")
    git(developer, "push", "-q", "origin", "HEAD:main")
    git(runner, "fetch", "-q", "origin")
    found = baseline(runner, DEV, "origin/main")
    assert found.since is None
    assert "moved an image tag without naming its source" in found.reason


def test_after_a_rollback_release_every_service_is_affected(runner: Path, developer: Path) -> None:
    source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", source)
    _release(runner, "dev", "v20261120.2-develop", "--rollback", "--released-from", source)
    assert git(runner, "log", "-1", "--format=%s", "origin/main") == (
        "release(dev): users v20261120.2-develop (rollback)"
    )
    assert _baseline(runner) is None


def test_a_release_without_a_source_leaves_every_service_affected(
    runner: Path, developer: Path
) -> None:
    source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", source)
    _release(runner, "dev", "v20261123.6-develop")  # by hand, source unknown
    assert _baseline(runner) is None


def test_a_source_this_clone_lacks_makes_every_service_affected(runner: Path) -> None:
    _release(runner, "dev", "v20261123.5-develop", "--released-from", "ab" * 20)
    found = baseline(runner, DEV, "origin/main")
    assert found.since is None
    assert "which this clone lacks" in found.reason


def test_a_trailer_that_names_no_commit_id_makes_every_service_affected(
    runner: Path, developer: Path
) -> None:
    # A hand-written release commit naming a branch: it would move with the branch.
    git(developer, "pull", "-q", "--rebase", "origin", "main")
    path = developer / OVERLAY.format(env="dev")
    path.write_text(KUSTOMIZATION.replace("v20261101.1-main", "v20261123.5-develop"))
    git(developer, "add", "-A")
    git(developer, *IDENTITY, "commit", "-q", "-m", "release by hand\n\nReleased-From: main")
    git(developer, "push", "-q", "origin", "HEAD:main")
    git(runner, "fetch", "-q", "origin")
    found = baseline(runner, DEV, "origin/main")
    assert found.since is None
    assert "names 'main', not a commit id" in found.reason


def test_a_promotion_records_the_source_of_the_environment_it_copies(
    runner: Path, developer: Path
) -> None:
    source = _code_change(developer, "print('v2')\n")
    _release(runner, "dev", "v20261123.5-develop", "--released-from", source)
    git(runner, "fetch", "-q", "origin")
    args = ["promote", "--repo", str(runner), "--from", "dev", "--to", "staging", "--push"]
    result = CliRunner().invoke(app, [*args, "--run-number", "3"])
    assert result.exit_code == 0, result.output
    assert _baseline(runner, Path("deploy/overlays/staging")) == source
