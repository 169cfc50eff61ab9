"""Releases are serialized per environment and lose nothing: a pending run GitHub drops is
covered by the next one, because pushes build and release what changed since the environment's
last release (the commit its release commit names), not since the previous push.

The steps' scripts run as GitHub runs them, on a stand-in dist/release.pex that logs its calls."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from deploy.tests.support import LAYOUT
from release import yamlio

WORKFLOWS = LAYOUT.root / ".github" / "workflows"
CI = yamlio.load((WORKFLOWS / "ci.yml").read_text())
BUILD = yamlio.load((WORKFLOWS / "_build.yml").read_text())
RELEASE = yamlio.load((WORKFLOWS / "_release.yml").read_text())
SHA = "9604b2c1e0a5d1f1c0ffee0ddba11c0ffee0ddba"


def _step(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    [step] = [s for s in job["steps"] if s.get("id") == step_id]
    return dict(step)


def _run_step(tmp_path: Path, step: dict[str, Any], env: dict[str, str]) -> list[str]:
    """Run `step`'s script with `env` (its `env:` names, as GitHub sets them); the calls the
    stand-in release tool got."""
    assert set(env) == set(step["env"]), "the test sets exactly the step's variables"
    tool = tmp_path / "dist" / "release.pex"
    tool.parent.mkdir()
    tool.write_text('#!/bin/sh\necho "$*" >> release.log\necho \'["users"]\'\n')
    tool.chmod(0o755)
    github = {"GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_RUN_NUMBER": "7"}
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], **github, **env},
        check=True,
    )
    return (tmp_path / "release.log").read_text().splitlines()


def test_releases_run_one_at_a_time_per_environment_and_are_never_cancelled() -> None:
    job = RELEASE["jobs"]["release"]
    assert job["concurrency"] == {
        "group": "release-${{ github.repository }}-${{ inputs.environment }}",
        "cancel-in-progress": False,
    }
    # No workflow-wide group as well: it would serialize every environment behind one another.
    assert "concurrency" not in RELEASE


def test_the_release_workflow_explains_why_a_dropped_pending_run_loses_nothing() -> None:
    text = (WORKFLOWS / "_release.yml").read_text()
    assert "keeps only the newest *pending* run" in text
    assert "--since-last-release" in text


def test_a_push_builds_what_changed_since_the_environments_last_release(tmp_path: Path) -> None:
    step = _step(BUILD["jobs"]["plan"], "plan")
    env = {"SINCE": SHA, "ENVIRONMENT": "staging", "BRANCH": "main"}
    calls = _run_step(tmp_path, step, env)
    assert calls[1] == "affected --since-last-release --env staging"
    assert step["env"]["ENVIRONMENT"] == "${{ inputs.environment }}"


def test_a_pull_request_builds_what_changed_since_its_base(tmp_path: Path) -> None:
    step = _step(BUILD["jobs"]["plan"], "plan")
    calls = _run_step(tmp_path, step, {"SINCE": "origin/main", "ENVIRONMENT": "", "BRANCH": "x"})
    assert calls[1] == "affected --since origin/main"


def test_ci_builds_against_the_environment_it_releases_to_and_only_on_pushes() -> None:
    build, release = CI["jobs"]["build"]["with"], CI["jobs"]["release"]["with"]
    assert build["environment"] == (
        "${{ github.event_name == 'push'"
        " && (github.ref_name == 'main' && 'staging' || 'dev') || '' }}"
    )
    assert release["environment"] == "${{ needs.build.outputs.environment }}"
    assert BUILD["on"]["workflow_call"]["outputs"]["environment"]["value"] == (
        "${{ inputs.environment }}"
    )
    # Test selection still measures from the push's `before` (or the pull request's base).
    assert "github.event.before" in CI["jobs"]["test"]["with"]["since"]


def _release_env(**changes: str) -> dict[str, str]:
    env = {
        "ENVIRONMENT": "dev",
        "TAG": "v20261123.7-develop",
        "SERVICES": '["users"]',
        "PROMOTE_FROM": "",
        "ROLLBACK": "false",
        "SOURCE": SHA,
    }
    return {**env, **changes}


def test_a_release_records_the_commit_its_images_were_built_from(tmp_path: Path) -> None:
    step = _step(RELEASE["jobs"]["release"], "release")
    assert step["env"]["SOURCE"] == "${{ github.sha }}"
    calls = _run_step(tmp_path, step, _release_env())
    assert calls == [
        f'release --env dev --tag v20261123.7-develop --services-json ["users"]'
        f" --released-from {SHA}"
    ]


def test_only_a_promotion_asked_to_roll_back_may_deploy_older_tags(tmp_path: Path) -> None:
    step = _step(RELEASE["jobs"]["release"], "release")
    calls = _run_step(tmp_path, step, _release_env(PROMOTE_FROM="staging", ROLLBACK="true"))
    assert calls == ["promote --from staging --to dev --push --rollback"]
    promote = yamlio.load((WORKFLOWS / "promote.yml").read_text())
    assert promote["on"]["workflow_dispatch"]["inputs"]["rollback"]["default"] is False
    assert "rollback" not in CI["jobs"]["release"]["with"]
