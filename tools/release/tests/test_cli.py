"""The commands as the workflows call them, on a small repo layout of their own."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from release.cli import app

OVERLAY = """\
# {service} in {env}
images:
  - name: fleet/{service}
    newName: registry.example/fleet/{service}
    newTag: {tag}  # bumped by releases
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    values = tmp_path / "deploy/helm/values"
    values.mkdir(parents=True)
    for service in ["users", "tasks"]:
        (values / f"{service}.yaml").write_text(f"image:\n  repository: fleet/{service}\n")
        for env, tag in [("staging", "v20261120.5-main"), ("prod", "v20261101.1-main")]:
            folder = tmp_path / "deploy/overlays" / env / service
            folder.mkdir(parents=True)
            text = OVERLAY.format(service=service, env=env, tag=tag)
            (folder / "kustomization.yaml").write_text(text)
    return tmp_path


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_tag_prints_the_runs_image_tag() -> None:
    out = _run("tag", "--run-number", "42", "--branch", "main", "--day", "2026-11-23")
    assert out == "v20261123.42-main\n"


def test_tag_reads_the_run_number_and_branch_github_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_RUN_NUMBER", "7")
    monkeypatch.setenv("GITHUB_REF_NAME", "develop")
    assert _run("tag", "--day", "2026-11-23") == "v20261123.7-develop\n"


def test_bump_sets_each_named_service(repo: Path) -> None:
    out = _run(
        "bump", "--repo", str(repo), "--env", "staging", "--tag", "v20261123.9-main",
        "--service", "users",
    )  # fmt: skip
    assert out == "staging: users -> v20261123.9-main\n"
    assert (
        "newTag: v20261123.9-main  # bumped"
        in (repo / "deploy/overlays/staging/users/kustomization.yaml").read_text()
    )
    assert (
        "v20261120.5-main"
        in (repo / "deploy/overlays/staging/tasks/kustomization.yaml").read_text()
    )


def test_bump_of_a_service_without_an_overlay_fails(repo: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["bump", "--repo", str(repo), "--env", "staging", "--tag", "v20261123.9-main",
         "--service", "billing"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "error: staging has no overlay for: billing" in result.stderr


def test_promote_gives_prod_the_tags_staging_runs(repo: Path) -> None:
    out = _run("promote", "--repo", str(repo), "--from", "staging", "--to", "prod")
    assert out == "prod: tasks -> v20261120.5-main\nprod: users -> v20261120.5-main\n"


def test_build_dry_run_names_the_image_it_would_push(repo: Path) -> None:
    out = _run(
        "build", "--repo", str(repo), "--service", "users", "--tag", "v20261123.9-main",
        "--registry", "fleetacr.azurecr.io", "--dry-run",
    )  # fmt: skip
    assert out.splitlines()[-1] == "image=fleetacr.azurecr.io/fleet/users:v20261123.9-main"
    assert "$ docker push fleetacr.azurecr.io/fleet/users:v20261123.9-main" in out


def test_affected_all_lists_every_service_as_json(repo: Path) -> None:
    out = _run("affected", "--repo", str(repo), "--since", "HEAD~1", "--all")
    assert json.loads(out) == ["tasks", "users"]


def test_affected_on_a_branchs_first_push_lists_every_service(repo: Path) -> None:
    # GitHub's `before` of a first push names no commit: nothing to diff against, so all.
    out = _run("affected", "--repo", str(repo), "--since", "0" * 40)
    assert json.loads(out) == ["tasks", "users"]


def test_build_without_push_only_builds(repo: Path) -> None:
    out = _run(
        "build", "--repo", str(repo), "--service", "users", "--tag", "v20261123.9-main",
        "--registry", "fleetacr.azurecr.io", "--dry-run", "--no-push",
    )  # fmt: skip
    assert "docker push" not in out
    assert "$ docker build --target prod" in out


def _overlay(repo: Path, env: str, service: str) -> str:
    return (repo / "deploy/overlays" / env / service / "kustomization.yaml").read_text()


def test_bump_refuses_an_older_tag_over_a_newer_one_naming_both(repo: Path) -> None:
    before = _overlay(repo, "staging", "users")
    result = CliRunner().invoke(
        app,
        ["bump", "--repo", str(repo), "--env", "staging", "--tag", "v20261101.9-main",
         "--service", "users"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "staging/users runs v20261120.5-main, newer than v20261101.9-main: refusing to go"
        " backwards (pass --rollback to roll back on purpose)"
    ) in result.stderr
    assert _overlay(repo, "staging", "users") == before


def test_bump_with_rollback_deploys_the_older_tag_and_says_so(repo: Path) -> None:
    out = _run(
        "bump", "--repo", str(repo), "--env", "staging", "--tag", "v20261101.9-main",
        "--service", "users", "--rollback",
    )  # fmt: skip
    assert out == "staging: users -> v20261101.9-main (rolled back from v20261120.5-main)\n"
    assert "newTag: v20261101.9-main" in _overlay(repo, "staging", "users")


def test_bump_to_the_tag_already_deployed_does_nothing(repo: Path) -> None:
    before = _overlay(repo, "staging", "users")
    out = _run(
        "bump", "--repo", str(repo), "--env", "staging", "--tag", "v20261120.5-main",
        "--service", "users",
    )  # fmt: skip
    assert out == ""
    assert _overlay(repo, "staging", "users") == before


def test_promote_refuses_to_replace_a_newer_tag_in_the_target(repo: Path) -> None:
    # A hotfix went to prod directly: staging's tags are older than prod's users.
    _run(
        "bump", "--repo", str(repo), "--env", "prod", "--tag", "v20261201.3-hotfix",
        "--service", "users",
    )  # fmt: skip
    before = {s: _overlay(repo, "prod", s) for s in ("users", "tasks")}
    result = CliRunner().invoke(
        app, ["promote", "--repo", str(repo), "--from", "staging", "--to", "prod"]
    )
    assert result.exit_code == 1
    assert "prod/users runs v20261201.3-hotfix, newer than v20261120.5-main" in result.stderr
    assert {s: _overlay(repo, "prod", s) for s in ("users", "tasks")} == before
    out = _run("promote", "--repo", str(repo), "--from", "staging", "--to", "prod", "--rollback")
    assert "prod: users -> v20261120.5-main (rolled back from v20261201.3-hotfix)" in out


def test_affected_needs_a_known_environment_for_since_last_release(repo: Path) -> None:
    result = CliRunner().invoke(
        app, ["affected", "--repo", str(repo), "--since-last-release", "--env", "stagign"]
    )
    assert result.exit_code == 2
    assert "needs --env, one of prod, staging" in result.output


def test_affected_needs_a_starting_point(repo: Path) -> None:
    result = CliRunner().invoke(app, ["affected", "--repo", str(repo)])
    assert result.exit_code == 2
    assert "--since-last-release --env ENV" in result.output
