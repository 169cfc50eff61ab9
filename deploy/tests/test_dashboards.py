"""The committed Grafana dashboards (deploy/observability/dashboards/) graph every metric family
the chassis defines, for their own service only, in queries Prometheus parses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deploy.tests.support import LAYOUT
from release import yamlio
from release.dashboards import families

DASHBOARDS = LAYOUT.observability_dir / "dashboards"


def _dashboard(service: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DASHBOARDS / f"{service}.json").read_text())
    return loaded


def _queries(service: str) -> list[str]:
    return [t["expr"] for p in _dashboard(service)["panels"] for t in p.get("targets", [])]


@pytest.mark.parametrize("service", LAYOUT.services())
def test_every_metric_family_has_a_panel(service: str) -> None:
    queries = " ".join(_queries(service))
    read = set(re.findall(r"\b(fleet_\w+?)(?:_total|_bucket|_count|_sum)?\{", queries))
    assert [f.name for f in families("").values() if f.name not in read] == []


@pytest.mark.parametrize("service", LAYOUT.services())
def test_every_query_reads_its_own_service(service: str) -> None:
    queries = _queries(service)
    assert queries
    assert [q for q in queries if f'job="{service}"' not in q] == []


def test_each_dashboard_has_its_own_uid() -> None:
    uids = [_dashboard(service)["uid"] for service in LAYOUT.services()]
    assert len(set(uids)) == len(uids) == len(LAYOUT.services())


def _as_promql(query: str) -> str:
    return query.replace("$__rate_interval", "1m").replace("$namespace", ".*")


def test_every_query_parses_as_promql(tmp_path: Path) -> None:
    promtool = shutil.which("promtool") or "/usr/bin/promtool"
    if not Path(promtool).exists():
        pytest.skip("promtool is not installed (apt-get install prometheus; .ci/run installs it)")
    # promtool parses recording rules' expressions: Grafana's variables become what they stand for.
    rules = [
        {"record": f"fleet:{service}:query{i}", "expr": _as_promql(q)}
        for service in LAYOUT.services()
        for i, q in enumerate(_queries(service))
    ]
    file = tmp_path / "queries.rules.yaml"
    file.write_text(yamlio.dump_all([{"groups": [{"name": "dashboards", "rules": rules}]}]))
    result = subprocess.run(
        [promtool, "check", "rules", str(file)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
