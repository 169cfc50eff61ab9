"""Each benchmark of tools/bench runs as docs/performance.md says it does, here for about a
second (tiny counts), so that none rots unnoticed. The figures are judged in docs/performance.md,
by hand on a quiet machine; here, that each one runs and reports them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.http_stack import VARIANTS, ServerFailed, measure
from chassis.testing.benchmarks import needs_wrk, run_benchmark


@needs_wrk
def test_http_stack_measures_every_variant(tmp_path: Path) -> None:
    report = tmp_path / "http-stack.json"
    run_benchmark("bench.http_stack", "--seconds", "1", "--connections", "4", "--out", str(report))
    results = json.loads(report.read_text())
    assert [r["variant"] for r in results] == [variant for variant, _, _ in VARIANTS]
    assert all(r["requests_per_s"] > 0 for r in results)


def test_a_server_that_cannot_start_shows_its_own_error() -> None:
    refused = re.escape('Could not import module "bench.nowhere"')
    with pytest.raises(ServerFailed, match=refused):
        measure("bench.nowhere:app", "/", seconds=1, connections=1)


def test_worker_ids_reports_both_replicas(postgres_server: str) -> None:
    run = run_benchmark("bench.worker_ids", "--seconds", "0.2", "--server", postgres_server)
    assert "worker ids claimed: [" in run.stdout
    assert "two replicas together:" in run.stdout


def test_burst_stores_every_reading(postgres_server: str) -> None:
    # The devices pex is built into the sandbox (BUILD: runtime_package_dependencies).
    pex = Path("services.devices/pex.pex").resolve()
    run = run_benchmark(
        "bench.burst", "--readings", "200", "--devices", "2", "--timeout", "120",
        "--pex", str(pex), "--pg", postgres_server,
    )  # fmt: skip
    report = _last_json(run.stdout)
    assert (report["readings"], report["stored"], report["lost"]) == (200, 200, 0)


def test_memory_reports_every_process_of_the_fleet(tmp_path: Path) -> None:
    # The pexes `./fleet up` runs are built into the sandbox, beside the services' descriptors.
    report = tmp_path / "memory.json"
    run_benchmark(
        "bench.memory", "--root", ".", "--dist", ".", "--settle", "0", "--out", str(report)
    )
    usage = {u["process"]: u["rss_mb"] for u in json.loads(report.read_text())}
    expected = {"runner (fleet.pex)", "users", "tasks", "devices", "monitor", "simulator"}
    assert expected <= usage.keys(), usage
    assert all(usage[name] > 0 for name in expected), usage


def _last_json(stdout: str) -> dict[str, object]:
    """The report a benchmark prints last: an indented JSON object, its braces on lines alone."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line == "{")
    end = lines.index("}", start)
    report: dict[str, object] = json.loads("\n".join(lines[start : end + 1]))
    return report
