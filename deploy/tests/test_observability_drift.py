"""The committed dashboards and alert rules files (deploy/observability/) are exactly what the
chassis's metric families and the chart generate today."""

from __future__ import annotations

from deploy.tests.support import LAYOUT
from release import observability


def test_committed_dashboards_and_rules_equal_a_fresh_generation() -> None:
    stale = observability.drift(LAYOUT, observability.generate(LAYOUT))
    assert stale == [], (
        f"deploy/observability is stale: {stale}; run"
        " `./pants run tools/release:cli -- observability` and commit"
    )


def test_every_service_has_a_dashboard_and_a_rules_file() -> None:
    folder = LAYOUT.observability_dir
    dashboards = sorted(p.stem for p in (folder / "dashboards").glob("*.json"))
    rules = sorted(
        p.name.removesuffix(".rules.yaml") for p in (folder / "alerts").glob("*.rules.yaml")
    )
    assert dashboards == rules == LAYOUT.services()
