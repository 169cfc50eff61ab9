"""Releases push to a shared branch others push to: a lost race is retried, never forced."""

from collections.abc import Callable
from pathlib import Path

import pytest

from release.overlay import set_image_tag
from release.publish import PublishError, publish
from release.tests.gitrepos import bare_remote, clone, commit_and_push, git

OVERLAY = "deploy/overlays/dev/users/kustomization.yaml"
KUSTOMIZATION = """\
resources: [../../../rendered/users]
images:
  - name: fleet/users
    # bumped by releases
    newTag: v20261101.1-develop
"""
NEW = "v20261123.42-develop"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_remote(tmp_path, {OVERLAY: KUSTOMIZATION, "README.md": "fleet\n"})


@pytest.fixture
def runner(remote: Path, tmp_path: Path) -> Path:
    """The CI checkout that releases."""
    return clone(remote, tmp_path / "runner")


@pytest.fixture
def rival(remote: Path, tmp_path: Path) -> Path:
    """Someone else pushing to the same branch."""
    return clone(remote, tmp_path / "rival")


def _bump(repo: Path, tag: str = NEW) -> Callable[[], list[Path]]:
    path = repo / OVERLAY
    return lambda: [path] if set_image_tag(path, "fleet/users", tag) else []


def _remote_file(remote: Path, path: str) -> str:
    return git(remote, "show", f"main:{path}")


def test_pushes_the_bump_as_one_commit_with_its_git_tag(remote: Path, runner: Path) -> None:
    published = publish(runner, _bump(runner), "release", git_tag="dev/" + NEW)
    assert published is not None
    assert published.attempts == 1
    assert f"newTag: {NEW}" in _remote_file(remote, OVERLAY)
    assert git(remote, "rev-parse", f"dev/{NEW}^{{commit}}") == published.commit


def test_a_push_that_lost_a_race_is_retried_on_top_of_the_winner(
    remote: Path, runner: Path, rival: Path
) -> None:
    bump = _bump(runner)
    raced: list[bool] = []

    def change() -> list[Path]:
        if not raced:  # the rival pushes between our fetch and our push
            commit_and_push(rival, "README.md", "fleet, edited\n", "docs")
            raced.append(True)
        return bump()

    published = publish(runner, change, "release", backoff_seconds=0)
    assert published is not None
    assert published.attempts == 2
    assert _remote_file(remote, "README.md") == "fleet, edited"
    assert f"newTag: {NEW}" in _remote_file(remote, OVERLAY)


def test_a_rival_bump_of_the_same_line_does_not_conflict(
    remote: Path, runner: Path, rival: Path
) -> None:
    bump = _bump(runner)
    raced: list[bool] = []

    def change() -> list[Path]:
        if not raced:
            rival_text = KUSTOMIZATION.replace("v20261101.1-develop", "v20261122.9-develop")
            commit_and_push(rival, OVERLAY, rival_text, "rival release")
            raced.append(True)
        return bump()

    published = publish(runner, change, "release", backoff_seconds=0)
    assert published is not None
    assert _remote_file(remote, OVERLAY) == KUSTOMIZATION.replace(
        "v20261101.1-develop", NEW
    ).rstrip("\n")
    assert git(remote, "log", "--format=%s", "main").splitlines()[:2] == [
        "release",
        "rival release",
    ]


def test_gives_up_after_the_last_attempt(runner: Path, rival: Path) -> None:
    bump = _bump(runner)
    pushes = iter(range(100))

    def change() -> list[Path]:
        commit_and_push(rival, "README.md", f"edit {next(pushes)}\n", "docs")
        return bump()

    with pytest.raises(PublishError, match="after 3 attempts"):
        publish(runner, change, "release", attempts=3, backoff_seconds=0)


def test_nothing_to_change_pushes_nothing(remote: Path, runner: Path) -> None:
    before = git(remote, "rev-parse", "main")
    assert publish(runner, _bump(runner, "v20261101.1-develop"), "release") is None
    assert git(remote, "rev-parse", "main") == before
