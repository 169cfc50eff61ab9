"""The alert rules files pass promtool, and its unit tests (deploy/observability/alerts/*.test.yaml)
give every alert a case where it fires and one where it stays quiet.

promtool comes from Debian's prometheus package; .ci/run installs it, so CI always runs these.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.tests.support import LAYOUT
from release import yamlio
from release.dashboards import families

ALERTS = LAYOUT.observability_dir / "alerts"
UNIT_TESTS = sorted(ALERTS.glob("*.test.yaml"))


def _promtool() -> str:
    found = shutil.which("promtool") or "/usr/bin/promtool"
    if not Path(found).exists():
        pytest.skip("promtool is not installed (apt-get install prometheus; .ci/run installs it)")
    return found


def _alerts(rules_file: Path) -> list[dict[str, str]]:
    groups = yamlio.load(rules_file.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


@pytest.mark.parametrize("service", LAYOUT.services())
def test_every_services_rules_file_passes_promtool_check(service: str) -> None:
    rules = ALERTS / f"{service}.rules.yaml"
    result = subprocess.run(
        [_promtool(), "check", "rules", str(rules)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit_tests", UNIT_TESTS, ids=lambda p: p.name)
def test_promtool_unit_tests_pass(unit_tests: Path) -> None:
    result = subprocess.run(
        [_promtool(), "test", "rules", unit_tests.name],
        cwd=unit_tests.parent,  # rule_files are relative to the test file
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_case_where_it_fires_and_one_where_it_stays_quiet() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    tested: set[str] = set()
    for unit_tests in UNIT_TESTS:
        spec = yamlio.load(unit_tests.read_text())
        tested |= {rule["alert"] for name in spec["rule_files"] for rule in _alerts(ALERTS / name)}
        for case in (c for test in spec["tests"] for c in test.get("alert_rule_test", [])):
            (firing if case.get("exp_alerts") else quiet).add(case["alertname"])
    every_alert = {rule["alert"] for f in ALERTS.glob("*.rules.yaml") for rule in _alerts(f)}
    assert every_alert - tested == set(), "alerts in no file the unit tests load"
    assert every_alert - firing == set(), "alerts never seen firing"
    assert every_alert - quiet == set(), "alerts never seen staying quiet"


def test_the_rules_read_only_metrics_the_chassis_exports() -> None:
    exported = {f.name for f in families("").values()}
    read = {
        name
        for rules_file in ALERTS.glob("*.rules.yaml")
        for rule in _alerts(rules_file)
        for name in re.findall(r"\b(fleet_\w+?)(?:_total|_bucket|_count|_sum)?\{", rule["expr"])
    }
    assert read, "no metric found in the rules"
    assert read - exported == set()
