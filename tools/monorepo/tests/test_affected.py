"""Affected-only: CI runs the tests of what a change touches, and of everything that imports it."""

import re

import pytest

from monorepo.tests.sample import add_sample_fleet
from monorepo.throwaway import ThrowawayRepo

# The README's command for running only affected tests, minus the goal.
AFFECTED = [
    "--changed-since=HEAD~1",
    "--changed-dependents=transitive",
    "--filter-target-type=python_test",
]


@pytest.fixture
def repo(tmp_path: object, tmp_path_factory: pytest.TempPathFactory) -> ThrowawayRepo:
    repo = ThrowawayRepo.with_build_config(tmp_path_factory.mktemp("repo"))
    add_sample_fleet(repo)
    return repo


def _selected_tests(repo: ThrowawayRepo) -> set[str]:
    result = repo.pants(*AFFECTED, "list")
    assert result.returncode == 0, result.stderr
    return {line.split(":")[0] for line in result.stdout.split()}


def test_a_change_in_one_service_selects_only_its_tests(repo: ThrowawayRepo) -> None:
    repo.write(
        "services/beta/app.py",
        "from chassis.clock import now\n\n\ndef run() -> int:\n    return now() + 1\n",
    )
    repo.commit("change beta")
    assert _selected_tests(repo) == {"services/beta/tests/test_app.py"}


def test_a_change_in_shared_selects_every_importer(repo: ThrowawayRepo) -> None:
    repo.write("shared/chassis/clock.py", "def now() -> int:\n    return 42\n")
    repo.commit("change the clock")
    assert _selected_tests(repo) == {
        "shared/chassis/tests/test_clock.py",
        "services/alpha/tests/test_app.py",
        "services/beta/tests/test_app.py",
    }


def test_the_test_goal_runs_the_selected_files_and_not_their_neighbours(
    repo: ThrowawayRepo,
) -> None:
    # A python_tests generator depends on the files it generates, so it is a dependent of a
    # changed one too, and `test` of a generator runs every file in it (pantsbuild/pants#15313):
    # the README's type filter keeps generators out, so `test` runs what `list` shows.
    repo.write("shared/chassis/tests/test_other.py", "def test_other() -> None:\n    pass\n")
    repo.commit("a test beside test_clock.py that imports nothing")
    repo.write("shared/chassis/clock.py", "def now() -> int:\n    return 7\n")
    repo.commit("change the clock")
    result = repo.pants(*AFFECTED, "test")
    assert result.returncode == 0, result.stderr
    ran = set(re.findall(r"[✓✕] (\S+?\.py):", result.stderr))
    assert ran == _selected_tests(repo)
    assert "shared/chassis/tests/test_other.py" not in ran
