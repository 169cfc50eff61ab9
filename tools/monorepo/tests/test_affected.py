"""Affected-only: CI runs the tests of what a change touches, and of everything that imports it."""

import pytest

from monorepo.tests.sample import add_sample_fleet
from monorepo.throwaway import ThrowawayRepo

# The README's command for running only affected tests, minus the goal.
AFFECTED = ["--changed-since=HEAD~1", "--changed-dependents=transitive"]


@pytest.fixture
def repo(tmp_path: object, tmp_path_factory: pytest.TempPathFactory) -> ThrowawayRepo:
    repo = ThrowawayRepo.with_build_config(tmp_path_factory.mktemp("repo"))
    add_sample_fleet(repo)
    return repo


def _selected_tests(repo: ThrowawayRepo) -> set[str]:
    result = repo.pants(*AFFECTED, "--filter-target-type=python_test", "list")
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
