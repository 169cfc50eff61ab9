"""What an environment last released, read from the release commits on the overlays' branch.

Each forward release commit names the commit its images were built from in a git trailer,
`Released-From: <sha>`. The next release measures its change from there, not from the previous
push: the changes of a workflow run that was cancelled, failed or never got to release are
released by the next run, under its newer tag.

That holds while the environment runs one commit's build: every release brings each service
that changed since the last one up to its source. A commit that moves an image tag in the
environment without the trailer (a `git revert`, a `--rollback`, a hand edit) ends that: nothing
is known, and every service counts as affected until the next release records a source again.
Commits that touch the overlays without moving a tag (replicas, hosts, settings) do not count.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

RELEASED_FROM = "Released-From"
# Lines of a diff that move an image: kustomize `images:` entries set newTag or digest.
_IMAGE_LINE = re.compile(r"^[+-]\s*(?:-\s+)?(?:newTag|digest):", re.M)
_SHA = re.compile(r"^[0-9a-f]{7,64}$")


def release_message(subject: str, source: str | None) -> str:
    """A release commit's message, naming `source` (the commit its images were built from)."""
    if not source:
        return subject
    if not _SHA.match(source):
        raise ValueError(f"{source!r} is not a commit id (hexadecimal, as `git rev-parse` prints)")
    return f"{subject}\n\n{RELEASED_FROM}: {source}\n"


@dataclass(frozen=True)
class Baseline:
    """Where an environment's next release measures its change from."""

    since: str | None  # a commit; None: every service is affected
    reason: str  # one line saying why, for the workflow's log


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def baseline(repo: Path, overlays: Path, ref: str) -> Baseline:
    """The source of the last release of the environment whose overlays are `overlays`
    (relative to `repo`), as the history of `ref` (the branch releases push to) records it.
    """
    log = _git(
        repo, "log", "--no-merges", "--topo-order",
        f"--format=%H%x1f%(trailers:key={RELEASED_FROM},valueonly,separator=%x1f)%x1e",
        ref, "--", str(overlays),
    )  # fmt: skip
    if log.returncode != 0:
        raise RuntimeError(f"git could not read the releases on {ref}:\n{log.stderr}")
    for record in filter(None, (r.strip() for r in log.stdout.split("\x1e"))):
        commit, *sources = record.split("\x1f")
        source = next((s.strip() for s in sources if s.strip()), "")
        if source and not _SHA.match(source):
            return _everything(f"{commit[:12]} names {source!r}, not a commit id")
        if source and _git(repo, "cat-file", "-e", f"{source}^{{commit}}").returncode != 0:
            return _everything(f"{commit[:12]} released {source}, which this clone lacks")
        if source:
            return Baseline(source, f"last released from {source} (release commit {commit})")
        if _moves_an_image(repo, commit, overlays):
            return _everything(f"{commit[:12]} moved an image tag without naming its source")
    return _everything(f"no release on {ref} names its source")


def _everything(why: str) -> Baseline:
    return Baseline(None, f"{why}; every service is affected")


def _moves_an_image(repo: Path, commit: str, overlays: Path) -> bool:
    diff = _git(repo, "show", "--format=", "--unified=0", "--no-color", commit, "--", str(overlays))
    if diff.returncode != 0:
        raise RuntimeError(f"git could not show {commit}:\n{diff.stderr}")
    return _IMAGE_LINE.search(diff.stdout) is not None
