"""Affected-only on Fleet itself: README's selection command and `release affected`, run as CI runs
them, on every file of this repository (real BUILD files, boundary rules and imports).

A throwaway sample proves the mechanism; only this repository proves that its own rules and
dependencies let the command work (a denied dependency once made it exit 1 here while every test
and lint passed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from monorepo.throwaway import ThrowawayRepo

# README's command, measured from the commit before the change.
SELECTION = [
    "--changed-since=HEAD~1",
    "--changed-dependents=transitive",
    "--filter-target-type=python_test",
]
# This test depends on every file (it must run whenever any of them changes), so it selects itself.
THIS_TEST = "tools/monorepo/tests/test_this_repository.py"

SERVICE_FILE = "services/tasks/service/workflow.py"
CHASSIS_FILE = "shared/chassis/http/breaker.py"
# The users service's own events: users publishes them, tasks consumes user.deactivated.
EVENTS_FILE = "shared/contracts/users.py"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayRepo:
    return ThrowawayRepo.of_repository(tmp_path_factory.mktemp("fleet"))


Change = Callable[[str], None]


@pytest.fixture
def change(fleet: ThrowawayRepo) -> Iterator[Change]:
    """Commit a harmless edit to a file; undo it after the test."""

    def edit(path: str) -> None:
        with (fleet.root / path).open("a") as source:
            source.write("\n# a change\n")
        fleet.commit(f"change {path}")

    yield edit
    fleet.git("reset", "-q", "--hard", "HEAD~1")


def _selected_tests(fleet: ThrowawayRepo) -> set[str]:
    result = fleet.pants(*SELECTION, "list")
    assert result.returncode == 0, result.stderr
    return {line.split(":")[0] for line in result.stdout.split()} - {THIS_TEST}


def _importers_of(fleet: ThrowawayRepo, path: str) -> set[str]:
    """Test files that import `path`, directly or through others (`./pants dependents`)."""
    result = fleet.pants("dependents", "--transitive", path)
    assert result.returncode == 0, result.stderr
    files = {line.split(":")[0] for line in result.stdout.split()}
    return {path for path in files if Path(path).name.startswith("test_")} - {THIS_TEST}


def _release_affected(fleet: ThrowawayRepo) -> list[str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "release",
            "affected",
            "--since",
            "HEAD~1",
            "--repo",
            str(fleet.root),
        ],
        cwd=fleet.root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    services: list[str] = json.loads(result.stdout)
    return services


def test_readmes_command_exits_0_on_an_unchanged_clone(fleet: ThrowawayRepo) -> None:
    result = fleet.pants("--changed-since=HEAD", "--changed-dependents=transitive", "list")
    assert result.returncode == 0, result.stderr


def test_a_change_in_one_service_selects_its_tests_and_no_other_services(
    fleet: ThrowawayRepo, change: Change
) -> None:
    change(SERVICE_FILE)
    selected = _selected_tests(fleet)
    assert any(test.startswith("services/tasks/") for test in selected)
    assert not [t for t in selected if t.startswith(("services/users/", "services/devices/"))]


def test_a_chassis_change_selects_the_tests_of_everything_that_imports_it(
    fleet: ThrowawayRepo, change: Change
) -> None:
    importers = _importers_of(fleet, CHASSIS_FILE)
    change(CHASSIS_FILE)
    selected = _selected_tests(fleet)
    assert "shared/chassis/http/tests/test_breaker.py" in importers
    assert importers <= selected


def test_a_change_to_one_service_s_events_selects_their_producer_and_consumers_only(
    fleet: ThrowawayRepo, change: Change
) -> None:
    change(EVENTS_FILE)
    selected = _selected_tests(fleet)
    assert any(test.startswith("services/users/") for test in selected)
    assert any(test.startswith("services/tasks/") for test in selected)
    assert not [t for t in selected if t.startswith(("services/devices/", "shared/chassis/"))]


def test_release_affected_names_only_the_changed_service(
    fleet: ThrowawayRepo, change: Change
) -> None:
    change(SERVICE_FILE)
    assert _release_affected(fleet) == ["tasks"]


def test_release_affected_names_every_service_built_on_a_changed_chassis_module(
    fleet: ThrowawayRepo, change: Change
) -> None:
    change(CHASSIS_FILE)
    every_service = sorted(p.parent.name for p in fleet.root.glob("services/*/service.toml"))
    assert _release_affected(fleet) == every_service


def test_release_affected_names_the_services_a_changed_event_contract_reaches(
    fleet: ThrowawayRepo, change: Change
) -> None:
    change(EVENTS_FILE)
    assert _release_affected(fleet) == ["tasks", "users"]
