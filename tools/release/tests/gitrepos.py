"""Real git repositories on disk for publish tests: a bare remote and clones of it."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.com"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def bare_remote(root: Path, files: dict[str, str]) -> Path:
    """A bare repository whose main branch holds `files`."""
    remote = root / "remote.git"
    seed = root / "seed"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    subprocess.run(["git", "clone", "-q", str(remote), str(seed)], check=True)
    for path, text in files.items():
        (seed / path).parent.mkdir(parents=True, exist_ok=True)
        (seed / path).write_text(text)
    git(seed, "add", "-A")
    git(seed, *IDENTITY, "commit", "-q", "-m", "seed")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return remote


def clone(remote: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(where)], check=True)
    return where


def commit_and_push(repo: Path, path: str, text: str, message: str) -> None:
    """Another actor's push: pull, change `path`, commit, push."""
    git(repo, "pull", "-q", "--rebase", "origin", "main")
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", path)
    git(repo, *IDENTITY, "commit", "-q", "-m", message)
    git(repo, "push", "-q", "origin", "HEAD:main")


def reject_pushes(remote: Path, message: str) -> None:
    """Make `remote` refuse every push as a server-side hook would: `message` on stderr, exit 1."""
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho {shlex.quote(message)} >&2\nexit 1\n")
    hook.chmod(0o755)
