"""Commit a release to the shared branch and push it, retrying when someone pushed first.

Two releases (or a release and a merge) can race for the branch. Rebasing a tag bump onto
someone else's tag bump of the same line would conflict; instead a lost race resets to the new
remote head and applies the change again from scratch, which is always clean because the change
is a function of the overlays ("set users to tag T"), not a diff.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Identity for release commits when the checkout has none (CI runners).
BOT = ["-c", "user.name=fleet-release", "-c", "user.email=fleet-release@users.noreply.github.com"]


class PublishError(Exception):
    """The release could not be pushed after every attempt."""


@dataclass(frozen=True)
class Published:
    commit: str
    attempts: int
    git_tag: str | None


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def _push(repo: Path, remote: str, branch: str, git_tag: str | None) -> bool:
    refs = [f"HEAD:refs/heads/{branch}"] + ([f"refs/tags/{git_tag}"] if git_tag else [])
    # --atomic: the branch and the tag land together or not at all.
    result = subprocess.run(
        ["git", "push", "--atomic", remote, *refs], cwd=repo, capture_output=True, text=True
    )
    return result.returncode == 0


def publish(
    repo: Path,
    change: Callable[[], Sequence[Path]],
    message: str,
    *,
    remote: str = "origin",
    branch: str = "main",
    git_tag: str | None = None,
    attempts: int = 5,
    backoff_seconds: float = 2.0,
) -> Published | None:
    """Apply `change` on the remote's newest `branch`, commit, tag and push; None if no-op.

    `change` edits files in `repo` and returns the ones it changed (empty: nothing to release).
    """
    for attempt in range(1, attempts + 1):
        git(repo, "fetch", "--quiet", remote, branch)
        git(repo, "checkout", "--quiet", "-B", branch, f"{remote}/{branch}")
        changed = change()
        if not changed:
            return None
        git(repo, "add", "--", *(str(p) for p in changed))
        git(repo, *BOT, "commit", "--quiet", "-m", message)
        if git_tag:
            git(repo, *BOT, "tag", "--force", "-a", git_tag, "-m", message)
        if _push(repo, remote, branch, git_tag):
            return Published(git(repo, "rev-parse", "HEAD"), attempt, git_tag)
        time.sleep(backoff_seconds * attempt)
    raise PublishError(f"could not push to {remote}/{branch} after {attempts} attempts")
