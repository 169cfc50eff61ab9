"""Releases push to a shared branch others push to: a lost race is retried, never forced."""

from collections.abc import Callable
from pathlib import Path

import pytest

from release.overlay import set_image_tag
from release.publish import GitError, PublishError, publish
from release.tests.gitrepos import bare_remote, clone, commit_and_push, git, reject_pushes

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


def test_a_rejected_push_fails_with_gits_own_words_after_its_retries(
    remote: Path, runner: Path
) -> None:
    reject_pushes(remote, "main is frozen: release window closed (ask #release)")
    before = git(remote, "rev-parse", "main")
    with pytest.raises(PublishError) as caught:
        publish(runner, _bump(runner), "release", attempts=2, backoff_seconds=0)
    message = str(caught.value)
    assert "after 2 attempts" in message
    # The hook's line as git relays it ("remote: ..."), and git's own verdict.
    assert "remote: main is frozen: release window closed (ask #release)" in message
    assert "pre-receive hook declined" in message
    assert caught.value.stderr in message
    assert git(remote, "rev-parse", "main") == before


def test_a_failing_fetch_names_the_remote_and_gits_error(runner: Path, tmp_path: Path) -> None:
    git(runner, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(PublishError) as caught:
        publish(runner, _bump(runner), "release", attempts=2, backoff_seconds=0)
    assert "`git fetch --quiet origin main` failed (exit 128)" in str(caught.value)
    assert "gone.git" in str(caught.value)


def test_any_other_failing_git_command_raises_at_once_with_gits_error(runner: Path) -> None:
    calls = []

    def change() -> list[Path]:
        calls.append(1)
        return [runner / "no-such-file"]

    with pytest.raises(GitError) as caught:
        publish(runner, change, "release", backoff_seconds=0)
    assert "`git add -- " in str(caught.value)
    assert "did not match any files" in str(caught.value)
    assert calls == [1]


def test_the_git_tag_moves_when_an_environment_returns_to_a_tag(remote: Path, runner: Path) -> None:
    # Forward to NEW, back to the old tag, forward to NEW again: the third push moves dev/NEW.
    first = publish(runner, _bump(runner), "release", git_tag="dev/" + NEW)
    publish(runner, _bump(runner, "v20261101.1-develop"), "rollback")
    again = publish(runner, _bump(runner), "release again", git_tag="dev/" + NEW)
    assert first is not None
    assert again is not None
    assert again.attempts == 1
    assert git(remote, "rev-parse", f"dev/{NEW}^{{commit}}") == again.commit != first.commit
