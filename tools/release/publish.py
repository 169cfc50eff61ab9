"""Commit a release to the shared branch and push it, retrying when someone pushed first.

Two releases (or a release and a merge) can race for the branch. Rebasing a tag bump onto
someone else's tag bump of the same line would conflict; instead a lost race resets to the new
remote head and applies the change again from scratch, which is always clean because the change
is a function of the overlays ("set users to tag T"), not a diff.

A failed fetch or push is retried (a race, a network blip); after the last attempt the error
ends with git's own words (its stderr, verbatim): a hook's rejection, a protected branch, a bad
token. Any other git command that fails raises at once, with git's words too.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Identity for release commits when the checkout has none (CI runners).
BOT = ["-c", "user.name=fleet-release", "-c", "user.email=fleet-release@users.noreply.github.com"]


class GitError(Exception):
    """A git command failed; the message is the command and git's stderr, verbatim."""

    def __init__(self, args: Sequence[str], returncode: int, stderr: str) -> None:
        self.stderr = stderr
        super().__init__(f"`git {' '.join(args)}` failed (exit {returncode}):\n{stderr}")


class PublishError(Exception):
    """The release could not be pushed after every attempt; the message ends with git's error."""

    def __init__(self, message: str, cause: GitError) -> None:
        self.stderr = cause.stderr
        super().__init__(f"{message}; the last attempt's {cause}")


@dataclass(frozen=True)
class Published:
    commit: str
    attempts: int
    git_tag: str | None


class _Retry(Exception):
    """A fetch or push failed: worth another attempt (a lost race, a network blip)."""

    def __init__(self, error: GitError) -> None:
        self.error = error


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shown = [a for a in args if a not in BOT]  # the identity is noise in a message
        raise GitError(shown, result.returncode, result.stderr)
    return result.stdout.strip()


def _push(repo: Path, remote: str, branch: str, git_tag: str | None) -> None:
    # --atomic: the branch and the tag land together or not at all. The tag is forced (`+`):
    # it marks the newest commit that deployed that image tag to the environment, which moves
    # when an environment rolls back and then forward to the same tag again.
    refs = [f"HEAD:refs/heads/{branch}"] + ([f"+refs/tags/{git_tag}"] if git_tag else [])
    _retriable(repo, "push", "--atomic", remote, *refs)


def _retriable(repo: Path, *args: str) -> None:
    try:
        git(repo, *args)
    except GitError as error:
        raise _Retry(error) from error


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
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    attempt = 0
    while True:
        attempt += 1
        try:
            _retriable(repo, "fetch", "--quiet", remote, branch)
            git(repo, "checkout", "--quiet", "-B", branch, f"{remote}/{branch}")
            changed = change()
            if not changed:
                return None
            git(repo, "add", "--", *(str(p) for p in changed))
            git(repo, *BOT, "commit", "--quiet", "-m", message)
            if git_tag:
                git(repo, *BOT, "tag", "--force", "-a", git_tag, "-m", message)
            _push(repo, remote, branch, git_tag)
            return Published(git(repo, "rev-parse", "HEAD"), attempt, git_tag)
        except _Retry as retry:
            if attempt == attempts:
                where = f"{remote}/{branch}"
                tries = f"{attempts} attempt" + ("s" if attempts > 1 else "")
                raise PublishError(
                    f"could not push to {where} after {tries}", retry.error
                ) from retry.error
            time.sleep(backoff_seconds * attempt)
