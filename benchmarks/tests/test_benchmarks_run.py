"""Each service's benchmark runs as docs/performance.md says it does, here for about a second
(tiny counts), so that none rots unnoticed. The figures are judged in docs/performance.md, by
hand on a quiet machine; here, that each one runs and reports them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.server import Server, ServerFailed
from chassis.local import BrokerAddress
from chassis.testing.benchmarks import needs_wrk, run_benchmark


@needs_wrk
def test_users_benchmark_reports_logins_and_me(tmp_path: Path) -> None:
    report = tmp_path / "users.json"
    run_benchmark("benchmarks.users.login_and_me", "--seconds", "1", "--out", str(report))
    figures = json.loads(report.read_text())
    assert figures["health_live_rps"] > 0
    assert figures["users_me_rps"] > 0
    assert "logins_per_s" in figures  # a second may hold no whole argon2 login on a busy core


@needs_wrk
def test_tasks_benchmark_measures_every_variant(
    tmp_path: Path, postgres_server: str, mqtt_broker: BrokerAddress
) -> None:
    report = tmp_path / "tasks.json"
    run_benchmark(
        "benchmarks.tasks.run", "--seconds", "1", "--connections", "4",
        "--postgres", postgres_server, "--mqtt", mqtt_broker.url, "--out", str(report),
    )  # fmt: skip
    results = json.loads(report.read_text())
    assert [r["variant"] for r in results] == [
        "reference POST insert",
        "reference GET by id",
        "tasks POST /v1/tasks",
        "tasks GET /v1/tasks (50)",
        "tasks assign, breaker open",
    ]
    assert all(r["requests_per_s"] > 0 for r in results)


@needs_wrk
def test_task_events_benchmark_reports_lag_backlog_and_drain(
    tmp_path: Path, postgres_server: str
) -> None:
    report = tmp_path / "task-events.json"
    run_benchmark(
        "benchmarks.tasks.events", "--seconds", "1", "--max-seconds", "1", "--connections", "4",
        "--backlog", "500", "--postgres", postgres_server, "--out", str(report),
    )  # fmt: skip
    figures = json.loads(report.read_text())
    assert [p["load"] for p in figures["phases"]] == ["maximum", "50%", "100%"]
    assert all(p["creates_per_s"] > 0 and p["events_missing"] == 0 for p in figures["phases"])
    assert all(p["lag_p99_ms"] is not None and p["backlog_every_s"] for p in figures["phases"])
    assert figures["left_behind"]["creates_per_s"] > 0
    assert figures["left_behind"]["non_2xx"] == 0
    assert figures["drain"]["received"] == 500
    assert figures["drain"]["relay_events_per_s"] > 0
    assert figures["drain"]["reference_paho_qos1_per_s"] > 0


def test_devices_ingest_stores_every_message(postgres_server: str) -> None:
    run = run_benchmark("benchmarks.devices.ingest", "--messages", "200", "--devices", "2",
               "--pg", postgres_server)  # fmt: skip
    report = _last_json(run.stdout)
    assert (report["messages"], report["lost"], report["duplicated"]) == (200, 0, 0)


def test_a_server_that_cannot_start_shows_its_own_error() -> None:
    refused = re.escape('Could not import module "benchmarks.nowhere"')
    with pytest.raises(ServerFailed, match=refused), Server("benchmarks.nowhere:app", {}):
        pass


def _last_json(stdout: str) -> dict[str, object]:
    """The report a benchmark prints last: an indented JSON object, its braces on lines alone."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line == "{")
    end = lines.index("}", start)
    report: dict[str, object] = json.loads("\n".join(lines[start : end + 1]))
    return report
