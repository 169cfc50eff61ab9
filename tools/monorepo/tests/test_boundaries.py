"""The monorepo's boundaries are enforced by Pants visibility rules, not by convention."""

from pathlib import Path

import pytest

from monorepo.tests.sample import add_sample_fleet
from monorepo.throwaway import ThrowawayRepo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayRepo:
    repo = ThrowawayRepo.with_build_config(tmp_path_factory.mktemp("repo"))
    add_sample_fleet(repo)
    return repo


def _violation(repo: ThrowawayRepo, path: str, source: str) -> str:
    repo.write(path, source)
    try:
        result = repo.pants("dependencies", path)
    finally:
        (repo.root / path).unlink()
    assert result.returncode != 0, result.stdout
    return result.stderr


def test_a_service_importing_another_service_is_rejected(repo: ThrowawayRepo) -> None:
    stderr = _violation(repo, "services/alpha/sneaky.py", "from beta.app import run\n")
    assert "DependencyRuleActionDeniedError" in stderr
    assert "services/alpha/BUILD[!*] -> services/beta : DENY" in stderr


def test_the_chassis_importing_a_service_is_rejected(repo: ThrowawayRepo) -> None:
    stderr = _violation(repo, "shared/chassis/sneaky.py", "from alpha.app import run\n")
    assert "DependencyRuleActionDeniedError" in stderr
    assert "shared/BUILD[!*] -> services/alpha : DENY" in stderr


def test_e2e_importing_a_service_is_rejected(repo: ThrowawayRepo) -> None:
    repo.write("e2e/__init__.py", "")
    repo.write("e2e/BUILD", (repo.root / "e2e/BUILD").read_text() + "\npython_sources()\n")
    stderr = _violation(repo, "e2e/sneaky.py", "from gamma.app import now\n")
    assert "DependencyRuleActionDeniedError" in stderr
    assert "e2e/BUILD[!*] -> services/gamma : DENY" in stderr


def test_a_service_may_use_the_chassis(repo: ThrowawayRepo) -> None:
    result = repo.pants("dependencies", "services/alpha/app.py")
    assert result.returncode == 0, result.stderr
    assert "shared/chassis/clock.py" in result.stdout


def test_build_config_is_the_real_one() -> None:
    # The throwaway repo copies these from the sandbox; a missing one would test nothing real.
    assert Path("pants.toml").read_text().count("fleet_ruff") == 1
    assert "fleet_service" in Path("build-support/macros.py").read_text()
