"""`release promote` gives an environment that pins its render the render the source runs,
with the tags; one that follows the live render gets the tags only."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from release.cli import app
from release.tests.pinned_layout import CONFIG, LIVE, OVERLAY, PROD, STAGING, files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for path, text in files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return tmp_path


def _promote(repo: Path, *extra: str) -> tuple[int, str]:
    args = ["promote", "--repo", str(repo), "--from", "staging", "--to", "prod", *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _snapshot(repo: Path, folder: str) -> dict[str, str]:
    return {str(p.relative_to(repo)): p.read_text() for p in (repo / folder).rglob("*.yaml")}


def test_promote_copies_the_render_staging_runs_with_its_tags(repo: Path) -> None:
    code, output = _promote(repo)
    assert code == 0, output
    assert output.splitlines() == [
        "prod: users -> v20261120.5-main",
        "prod: users render <- staging's deploy/rendered/users",
    ]
    assert (repo / PROD / "rendered/manifests.yaml").read_text() == CONFIG.format(port=8001)
    assert "newTag: v20261120.5-main" in (repo / PROD / "kustomization.yaml").read_text()


def test_the_pinned_kustomization_says_where_it_came_from(repo: Path) -> None:
    _promote(repo)
    copied = (repo / PROD / "rendered/kustomization.yaml").read_text()
    assert copied.startswith("# prod's pinned copy of the render staging ran, written by")
    assert copied.endswith((repo / "deploy/rendered/users/kustomization.yaml").read_text())


def test_promoting_again_changes_nothing(repo: Path) -> None:
    _promote(repo)
    before = _snapshot(repo, PROD)
    assert _promote(repo) == (0, "")
    assert _snapshot(repo, PROD) == before


def test_a_file_the_source_render_dropped_leaves_the_copy(repo: Path) -> None:
    (repo / PROD / "rendered/old-extra.yaml").write_text(CONFIG.format(port=1))
    _promote(repo)
    assert sorted(p.name for p in (repo / PROD / "rendered").iterdir()) == [
        "kustomization.yaml",
        "manifests.yaml",
    ]


def test_a_target_on_the_live_render_gets_only_the_tags(repo: Path) -> None:
    overlay = repo / PROD / "kustomization.yaml"
    overlay.write_text(OVERLAY.format(env="prod", render=LIVE, tag="v20261101.1-main"))
    pinned = _snapshot(repo, f"{PROD}/rendered")
    code, output = _promote(repo)
    assert (code, output) == (0, "prod: users -> v20261120.5-main\n")
    assert _snapshot(repo, f"{PROD}/rendered") == pinned


def test_a_refused_promotion_changes_neither_tags_nor_render(repo: Path) -> None:
    overlay = repo / PROD / "kustomization.yaml"
    overlay.write_text(overlay.read_text().replace("v20261101.1-main", "v20261201.3-hotfix"))
    before = _snapshot(repo, PROD)
    code, output = _promote(repo)
    assert code == 1
    assert "prod/users runs v20261201.3-hotfix, newer than v20261120.5-main" in output
    assert _snapshot(repo, PROD) == before


def test_a_source_overlay_naming_no_render_is_refused_before_any_change(repo: Path) -> None:
    overlay = repo / STAGING / "kustomization.yaml"
    overlay.write_text(overlay.read_text().replace(LIVE, "../somewhere-else"))
    before = _snapshot(repo, PROD)
    code, output = _promote(repo)
    assert code == 1
    assert "`resources` must name one render, ../../../rendered/users or rendered" in output
    assert "Traceback" not in output
    assert _snapshot(repo, PROD) == before
