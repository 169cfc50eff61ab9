"""Which services a change affects: the ones whose image would differ.

Pants answers from its file-level dependency graph (`--changed-since ... --changed-dependents=
transitive list`): a change to one service's file lists that service's targets, a change in
shared/ lists every service that imports the changed module, a lockfile change lists all.
The mapping from those target addresses to services is pure and tested on its own.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path


def services_of(addresses: Iterable[str], known: Iterable[str]) -> list[str]:
    """Services owning any of `addresses` (services/<name>/...), limited to `known` ones."""
    owners = set()
    for address in addresses:
        parts = address.strip().split("/")
        if len(parts) >= 2 and parts[0] == "services":
            owners.add(parts[1].split(":")[0])
    return sorted(owners & set(known))


def is_first_push(since: str) -> bool:
    """Whether `since` is GitHub's `before` of a branch's first push: all zeros, no commit."""
    return bool(since) and not since.strip("0")


def changed_addresses(repo: Path, since: str, pants: str = "./pants") -> list[str]:
    """Targets changed since `since`, with everything that depends on them."""
    result = subprocess.run(
        [pants, f"--changed-since={since}", "--changed-dependents=transitive", "list"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pants could not list the changes since {since}:\n{result.stderr}")
    return [line for line in result.stdout.splitlines() if line.strip()]
