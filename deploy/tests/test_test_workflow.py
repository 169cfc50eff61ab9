"""The test workflow (_test.yml) runs the suite .ci/run runs, on what the fixtures need: the
PostgreSQL and Mosquitto majors docker-compose.yml runs, every binary a fixture looks for (so no
test skips for want of one), the Helm the committed render comes from, actions pinned by commit.
Each test names one thing the workflow and the code must agree on, so neither drifts alone."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import helm_python

from deploy.tests.support import LAYOUT
from release import yamlio

GITHUB = LAYOUT.root / ".github"
WORKFLOW = yamlio.load((GITHUB / "workflows" / "_test.yml").read_text())
PANTS_JOB: dict[str, Any] = WORKFLOW["jobs"]["pants"]
CHART_JOB: dict[str, Any] = WORKFLOW["jobs"]["chart"]
COMPOSE = yamlio.load((LAYOUT.root / "docker-compose.yml").read_text())
PANTS_TOML = tomllib.loads((LAYOUT.root / "pants.toml").read_text())
FIRST_PUSH_BEFORE = "0" * 40  # GitHub's `before` when a push creates the branch


def _major(image: str) -> str:
    """The major version an image tag names: postgres:16-alpine -> 16."""
    found = re.match(r"\d+", image.rpartition(":")[2])
    assert found is not None, f"{image} has no version tag"
    return found.group()


def _step(job: dict[str, Any], name: str) -> dict[str, Any]:
    """The step whose id or name starts with `name`."""
    for step in job["steps"]:
        if step.get("id") == name or str(step.get("name", "")).startswith(name):
            return dict(step)
    raise AssertionError(f"no step {name!r} in {[s.get('name') for s in job['steps']]}")


def _uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    """The step that runs `action` (owner/name or a local path)."""
    for step in job["steps"]:
        if str(step.get("uses", "")).split("@")[0] == action:
            return dict(step)
    raise AssertionError(f"no step uses {action}")


def _scripts(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def _select(tmp_path: Path, since: str, everything: bool = False) -> dict[str, str]:
    """Run the select step's script as GitHub runs it, on a stand-in ./pants; its outputs."""
    fake_pants = tmp_path / "pants"
    fake_pants.write_text('#!/bin/sh\necho "$*" >> pants.log\nprintf "a:tests\\nb:tests\\n"\n')
    fake_pants.chmod(0o755)
    output = tmp_path / "github_output"
    output.touch()
    step = _step(PANTS_JOB, "select")
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_OUTPUT": str(output),
        "SINCE": since,
        "EVERYTHING": "true" if everything else "false",
    }
    assert set(step["env"]) == {"SINCE", "EVERYTHING"}  # the inputs, under these names
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


def test_the_tests_run_on_the_postgresql_major_compose_runs() -> None:
    compose = _major(COMPOSE["services"]["postgres"]["image"])
    assert _major(PANTS_JOB["services"]["postgres"]["image"]) == compose
    # The private_postgres fixture's binaries: the check step looks for that major's initdb.
    assert PANTS_JOB["env"]["POSTGRES_MAJOR"] == compose
    assert '"/usr/lib/postgresql/$POSTGRES_MAJOR/bin/initdb"' in _step(PANTS_JOB, "Check")["run"]


def test_the_tests_run_on_the_mosquitto_major_compose_runs() -> None:
    assert PANTS_JOB["env"]["MOSQUITTO_MAJOR"] == _major(COMPOSE["services"]["mosquitto"]["image"])
    check = _step(PANTS_JOB, "Check")["run"]
    assert "dpkg-query -W" in check
    assert '= "$MOSQUITTO_MAJOR" ]' in check


def test_the_workflow_installs_the_mosquitto_the_fixtures_start_and_serves_mqtt_url() -> None:
    # chassis.local.broker starts private brokers from the `mosquitto` binary; MQTT_URL is
    # the packaged broker's own service (Debian's default config: 127.0.0.1:1883, anonymous).
    install = _step(PANTS_JOB, "Install Mosquitto")["run"]
    assert re.search(r"apt-get install\b.*\bmosquitto\b", install)
    assert "systemctl start mosquitto" in install
    assert PANTS_JOB["env"]["MQTT_URL"] == "mqtt://127.0.0.1:1883"
    assert "mosquitto" not in PANTS_JOB.get("services", {})


def test_the_tests_reach_the_real_servers_through_the_variables_pants_passes() -> None:
    env = PANTS_JOB["env"]
    assert env["DATABASE_URL"] == "postgresql://postgres@127.0.0.1:5432/postgres"
    assert "5432:5432" in PANTS_JOB["services"]["postgres"]["ports"]
    assert PANTS_JOB["services"]["postgres"]["env"]["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert {"DATABASE_URL", "MQTT_URL"} <= set(PANTS_TOML["test"]["extra_env_vars"])


def test_the_browser_test_drives_the_browser_the_workflow_names() -> None:
    # Ubuntu's apt chromium is a snap shim: the runner's Google Chrome, via FLEET_CHROMIUM,
    # which the browser test honours (and then fails rather than skips) and Pants passes on.
    browser = PANTS_JOB["env"]["FLEET_CHROMIUM"]
    assert Path(browser).is_absolute()
    assert "FLEET_CHROMIUM" in PANTS_TOML["test"]["extra_env_vars"]
    assert '"$FLEET_CHROMIUM" --version' in _step(PANTS_JOB, "Check")["run"]


def test_the_tools_deploy_tests_run_are_checked_before_the_tests() -> None:
    check = _step(PANTS_JOB, "Check")["run"]
    assert "for tool in kubectl node npm; do" in check
    names = [step.get("name", step.get("id")) for step in PANTS_JOB["steps"]]
    assert names.index(_step(PANTS_JOB, "Check")["name"]) < names.index("Test")


def test_pants_gets_python_3_9_and_the_tests_python_3_11() -> None:
    _uses(PANTS_JOB, "./.github/actions/setup")
    action = yamlio.load((GITHUB / "actions" / "setup" / "action.yml").read_text())
    setup_python = next(
        step for step in action["runs"]["steps"] if "setup-python" in step.get("uses", "")
    )
    assert setup_python["with"]["python-version"].split() == ["3.9", "3.11"]


def test_the_workflow_runs_every_step_ci_run_runs() -> None:
    steps = re.findall(r"^step (.+)$", (LAYOUT.root / ".ci/run").read_text(), re.M)
    goals = {m.group(1) for s in steps if (m := re.fullmatch(r"\./pants (\w+) ::", s))}
    others = [s for s in steps if not s.startswith("./pants ")]
    # test with the type filter (see the workflow: it keeps test generators out)
    selection = (
        r"\./pants \$\{\{ steps\.select\.outputs\.selection \}\}"
        r"(?: --filter-target-type=python_test)? (\w+)$"
    )
    assert goals >= {"test", "lint", "check"}
    assert set(re.findall(selection, _scripts(PANTS_JOB), re.M)) == goals
    runs = {str(step.get("run")) for job in WORKFLOW["jobs"].values() for step in job["steps"]}
    assert [s for s in others if s not in runs] == []


def test_lint_and_type_check_run_even_when_the_tests_fail() -> None:
    # As .ci/run: every goal runs, the job fails if any did.
    for name in ("Lint", "Type check"):
        assert "!cancelled()" in _step(PANTS_JOB, name)["if"]


def test_a_branchs_first_push_tests_everything(tmp_path: Path) -> None:
    ci = (GITHUB / "workflows" / "ci.yml").read_text()
    assert "|| github.event.before }}" in ci  # pushes pass `before` as `since`
    outputs = _select(tmp_path, since=FIRST_PUSH_BEFORE)
    assert outputs["selection"] == "::"
    assert outputs["targets"] == "2"
    assert (tmp_path / "pants.log").read_text() == ":: --filter-target-type=python_test list\n"


def test_a_change_tests_what_it_affects(tmp_path: Path) -> None:
    outputs = _select(tmp_path, since="origin/main")
    assert outputs["selection"] == "--changed-since=origin/main --changed-dependents=transitive"


def test_everything_on_request_tests_everything(tmp_path: Path) -> None:
    assert _select(tmp_path, since="origin/main", everything=True)["selection"] == "::"


def test_the_screenshots_are_uploaded() -> None:
    assert PANTS_JOB["env"]["FLEET_ARTIFACTS"]
    upload = _uses(PANTS_JOB, "actions/upload-artifact")
    assert upload["with"]["path"] == "${{ env.FLEET_ARTIFACTS }}"
    assert "!cancelled()" in upload["if"]  # failed tests' screenshots too


def test_the_chart_job_runs_the_helm_the_committed_render_comes_from() -> None:
    # deploy/rendered/ is written through helm-python-sdk, which bundles one Helm Go SDK.
    assert WORKFLOW["env"]["HELM_VERSION"] == helm_python.helm_sdk_version()
    assert _uses(CHART_JOB, "azure/setup-helm")["with"]["version"] == "${{ env.HELM_VERSION }}"


def test_the_chart_job_compares_helm_template_with_the_committed_render() -> None:
    _uses(CHART_JOB, "./.github/actions/setup")  # builds dist/release.pex
    assert "dist/release.pex compare-render --helm helm" in _scripts(CHART_JOB)


def test_every_action_is_pinned_by_a_commit_with_its_version_beside() -> None:
    files = [*GITHUB.glob("workflows/*.yml"), *GITHUB.glob("actions/**/*.yml")]
    pinned = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
    uses = [
        (path.name, line.split("uses:", 1)[1].strip())
        for path in files
        for line in path.read_text().splitlines()
        if re.match(r"\s*(- )?uses:", line)
    ]
    assert len(uses) > 10
    loose = [
        (name, use) for name, use in uses if not use.startswith("./") and not pinned.fullmatch(use)
    ]
    assert loose == [], "pin each action by its release's commit SHA, `# vX.Y.Z` beside"
