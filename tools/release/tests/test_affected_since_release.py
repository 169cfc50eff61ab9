"""`release affected --since-last-release` as _build.yml runs it for a push: on a real clone whose
history holds the environment's release commits, with a stand-in Pants that logs what it was
asked (tools/monorepo/tests runs the real Pants on Fleet itself)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from release.cli import app
from release.tests.gitrepos import bare_remote, clone, commit_and_push, git

TAG_LINE = "    newTag: v20261101.1-develop  # bumped by releases\n"
FILES = {
    **{
        f"deploy/helm/values/{s}.yaml": f"image:\n  repository: fleet/{s}\n"
        for s in ("tasks", "users")
    },
    **{
        f"deploy/overlays/dev/{s}/kustomization.yaml": f"images:\n  - name: fleet/{s}\n{TAG_LINE}"
        for s in ("tasks", "users")
    },
    "services/users/app.py": "print('v1')\n",
}


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_remote(tmp_path, FILES)


@pytest.fixture
def checkout(remote: Path, tmp_path: Path) -> Path:
    """The build job's checkout of the pushed commit (fetch-depth 0: every branch)."""
    return clone(remote, tmp_path / "checkout")


@pytest.fixture
def pants(tmp_path: Path) -> Path:
    """A `pants` that logs its arguments and lists one changed users file."""
    script = tmp_path / "pants"
    log = tmp_path / "pants.log"
    script.write_text(
        f'#!/bin/sh\necho "$@" >> {shlex.quote(str(log))}\necho services/users/app.py\n'
    )
    script.chmod(0o755)
    return script


def _calls(pants: Path) -> list[str]:
    log = pants.with_name("pants.log")
    return log.read_text().splitlines() if log.exists() else []


def _affected(checkout: Path, pants: Path) -> tuple[list[str], str]:
    git(checkout, "pull", "-q", "origin", "main")
    args = ["affected", "--since-last-release", "--env", "dev", "--repo", str(checkout)]
    result = CliRunner().invoke(app, [*args, "--pants", str(pants)])
    assert result.exit_code == 0, result.output
    services: list[str] = json.loads(result.stdout)
    return services, result.stderr


def _release(remote: Path, where: Path, tag: str, source: str) -> None:
    runner = clone(remote, where)
    args = ["release", "--repo", str(runner), "--env", "dev", "--tag", tag, "--service", "users"]
    result = CliRunner().invoke(app, [*args, "--released-from", source])
    assert result.exit_code == 0, result.output


def test_an_environment_never_released_from_a_known_commit_gets_every_service(
    checkout: Path, pants: Path
) -> None:
    services, note = _affected(checkout, pants)
    assert services == ["tasks", "users"]
    assert note.startswith("dev: ")
    assert _calls(pants) == []


def test_the_change_is_measured_from_the_commit_the_last_release_was_built_from(
    remote: Path, checkout: Path, pants: Path, tmp_path: Path
) -> None:
    released = git(checkout, "rev-parse", "HEAD")
    _release(remote, tmp_path / "release-1", "v20261123.5-develop", released)
    # Two pushes follow; the first one's run is cancelled before it releases. The second one's
    # run still measures from the last release, so the first one's change is in it.
    commit_and_push(checkout, "services/users/app.py", "print('v2')\n", "users v2 (cancelled)")
    commit_and_push(checkout, "README.md", "docs\n", "docs")
    services, note = _affected(checkout, pants)
    assert _calls(pants) == [f"--changed-since={released} --changed-dependents=transitive list"]
    assert services == ["users"]
    assert f"dev: last released from {released}" in note
