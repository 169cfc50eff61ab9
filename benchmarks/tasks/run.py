"""Tasks API throughput and latency against the minimal FastAPI + SQLModel insert, same run.

uvicorn (uvloop, httptools, one worker) pinned to core 0, wrk to core 1, PostgreSQL on the
loopback (a throwaway database per app), the MQTT broker of BENCH_MQTT_URL. Bounded.

    ./pants run benchmarks/tasks/run.py -- --seconds 10 --connections 32

Targets (issue 5): POST /v1/tasks >= the reference insert's req/s with a lower p99;
GET /v1/tasks (filtered, page of 50) >= 500/s; assign with users down, breaker open: p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa

import benchmarks.tasks.apps  # noqa: F401 -- the servers import it by name: this packs it
from benchmarks.server import Server
from benchmarks.tasks.wrk import Result, wrk
from chassis.testing import TokenIssuer, free_port
from chassis.testing.postgres import TestDatabase

POST_BODY = {"title": "Replace the seal", "priority": "high", "labels": ["pump"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", _PG))
    parser.add_argument("--mqtt", default=os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
    parser.add_argument("--out", type=Path, default=Path("reports/bench-tasks.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    seconds, conns = args.seconds, args.connections
    results: list[Result] = []
    reference_db, tasks_db = TestDatabase(args.postgres).create(), TestDatabase(args.postgres)
    tasks_db.create()
    try:
        with Server(
            "benchmarks.tasks.apps:reference", {"BENCH_REFERENCE_URL": reference_db.url}
        ) as ref:
            results.append(wrk("reference POST insert", ref.url("/items"), seconds, conns,
                               method="POST", body=POST_BODY))  # fmt: skip
            results.append(wrk("reference GET by id", ref.url("/items/1"), seconds, conns))
        time.sleep(1)
        with TokenIssuer() as issuer:
            token = issuer.mint("100", role="operator", username="bench")
            auth = {"Authorization": f"Bearer {token}"}
            env = _tasks_env(tasks_db.url, args.mqtt, issuer.jwks_url)
            with Server("benchmarks.tasks.apps:tasks", env) as svc:
                results.append(wrk("tasks POST /v1/tasks", svc.url("/v1/tasks"), seconds, conns,
                                   method="POST", body=POST_BODY, headers=auth,
                                   unique_key=True))  # fmt: skip
                _settle(tasks_db.url)
                listed = svc.url("/v1/tasks?status=open&priority=high&label=pump&limit=50")
                results.append(
                    wrk("tasks GET /v1/tasks (50)", listed, seconds, conns, headers=auth)
                )
                task_id = _one_task(svc.url("/v1/tasks"), auth)
                assign = svc.url(f"/v1/tasks/{task_id}/assign")
                for assignee in range(10):  # users is not running: these open the breaker
                    _post(assign, {"assignee_id": str(900 + assignee)}, auth)
                body = {"assignee_id": "7"}
                results.append(
                    wrk("tasks assign, breaker open", assign, seconds, conns,
                        method="POST", body=body, headers=auth)
                )  # fmt: skip
    finally:
        reference_db.drop()
        tasks_db.drop()
    _report(results, args.out)


_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _tasks_env(database_url: str, mqtt_url: str, jwks_url: str) -> dict[str, str]:
    return {
        "TASKS__DATABASE__URL": database_url,
        "TASKS__DATABASE__MIGRATE_AT_START": "true",
        "TASKS__MQTT__URL": mqtt_url,
        "TASKS__MQTT__CLIENT_ID": f"tasks-bench-{os.getpid()}",
        "TASKS__USERS__BASE_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "TASKS__USERS__BREAKER_RESET_TIMEOUT": "600",
        "TASKS__AUTH__JWKS_URL": jwks_url,
        "TASKS__LOGGING__FORMAT": "json",  # what production runs, access lines included
    }


def _settle(database_url: str, within: float = 120) -> None:
    """Let the write burst settle before the reads are measured: the outbox relay publishes the
    burst's events (its catch-up would otherwise share the core with the next phases), and the
    planner's statistics are refreshed, as autovacuum does within a minute of such a burst
    (otherwise PostgreSQL plans the list for the empty table it saw at creation: 7 ms a page
    instead of 0.1 ms with 5,000 tasks)."""
    engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    unsent = sa.text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    started = time.monotonic()
    with engine.connect() as conn:
        backlog = conn.execute(unsent).scalar_one()
        while conn.execute(unsent).scalar_one() and time.monotonic() - started < within:
            time.sleep(0.2)
        print(f"outbox: {backlog} unsent events after the burst, published in "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr)  # fmt: skip
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


def _post(url: str, body: object, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310  (loopback URL we built)
        url, json.dumps(body).encode(), {**headers, "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _one_task(url: str, headers: dict[str, str]) -> str:
    status, body = _post(url, {"title": "to assign"}, headers)
    if status != 201:
        raise RuntimeError(f"creating a task answered {status}: {body!r}")
    return str(json.loads(body)["id"])


def _report(results: list[Result], out: Path) -> None:
    print(f"{'variant':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for r in results:
        print(f"{r.variant:<30}{r.requests_per_s:>9.0f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}"
              f"{r.non_2xx:>9}")  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
