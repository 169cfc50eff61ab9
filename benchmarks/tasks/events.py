"""Events keep pace with writes (issue 20): sustained creates on tasks, and how late their
`task.created` events reach a subscriber; then the relay draining a backlog.

    ./pants run benchmarks/tasks/events.py -- --seconds 60

The tasks service (uvicorn, uvloop, one worker, its outbox relay in the same process) pinned to
core 0; wrk, the subscriber and this script on core 1; PostgreSQL from DATABASE_URL (a throwaway
database) and a private Mosquitto with the fleet's limits (`chassis.local`). Bounded, loopback.

0. the maximum with the events left behind: the same for `--max-seconds` on a database of its
   own with the broker unreachable, so the outbox only fills (what creates cost before the relay
   kept pace: the reference for "create throughput with its events delivered");
1. the maximum: creates as fast as 32 connections get answered, for `--max-seconds`;
2. each of `--loads` (default 50% and 100% of that maximum) paced for `--seconds`: creates/s, the
   lag from each 201 to the subscriber's receipt of its event (p50/p99), the outbox backlog
   every second, and how long the backlog took to empty after the load stopped;
3. `--backlog` events (default 100,000) written to the outbox at once: the relay's rate draining
   them (commit -> the last one received) and a plain paho QoS 1 publisher's rate on core 0.

Goals: lag p99 < 1 s at 100%, < 100 ms at 50%; the maximum >= 0.9x the one with the events left
behind; drain >= 5,000 events/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import benchmarks.tasks.apps  # noqa: F401 -- the server imports it by name: this packs it
from benchmarks.server import Server
from benchmarks.tasks.backlog import Backlog, relay_delays, write_backlog
from benchmarks.tasks.paced import Creates, paced_creates
from benchmarks.tasks.receipts import REFERENCE_PAYLOAD, Receipts, reference_rate
from chassis.testing import BrokerAddress, Mosquitto, TokenIssuer, free_port
from chassis.testing.postgres import TestDatabase

CREATED = "fleet/events/tasks/task.created"
DRAIN = "fleet/events/tasks/bench.drain"
POST_BODY = {"title": "Replace the seal", "priority": "high", "labels": ["pump"]}
_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=60, help="each paced load")
    parser.add_argument("--max-seconds", type=int, default=15, help="the maximum's run")
    parser.add_argument("--loads", type=float, nargs="+", default=[0.5, 1.0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", _PG))
    parser.add_argument("--out", type=Path, default=Path("reports/bench-task-events.json"))
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})  # the subscriber and the sampler, beside wrk, off the service
    database = TestDatabase(args.postgres).create()
    broker = Mosquitto()
    broker.start()
    receipts = Receipts(broker.address, CREATED, DRAIN)
    try:
        with TokenIssuer() as issuer:
            token = issuer.mint("100", role="operator", username="bench")
            auth = {"Authorization": f"Bearer {token}"}
            left_behind = _maximum_left_behind(args, issuer.jwks_url, auth)
            env = _tasks_env(database.url, broker.address, issuer.jwks_url)
            with Server("benchmarks.tasks.apps:tasks", env) as server:
                report = _run(args, server, auth, database.url, receipts, broker.address)
    finally:
        receipts.close()
        broker.stop()
        database.drop()
    report["left_behind"] = left_behind
    _print_cost(left_behind, report["phases"][0])
    _print_drain(report["drain"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))


def _run(
    args: argparse.Namespace,
    server: Server,
    auth: dict[str, str],
    database_url: str,
    receipts: Receipts,
    broker: BrokerAddress,
) -> dict[str, Any]:
    url = server.url("/v1/tasks")

    def load(name: str, rate: float | None, seconds: int) -> dict[str, Any]:
        started = time.time()
        with Backlog(database_url) as backlog:
            creates = paced_creates(url, seconds=seconds, connections=args.connections,
                                    rate=rate, body=POST_BODY, headers=auth)  # fmt: skip
            drained_after = _delivered(creates, receipts, within=max(120.0, 3.0 * seconds))
        return {"load": name, **_figures(creates, receipts),
                **relay_delays(database_url, started), "backlog_every_s": backlog.samples,
                "backlog_max": max(backlog.samples, default=0),
                "events_all_received_after_s": drained_after}  # fmt: skip

    phases = [load("maximum", None, args.max_seconds)]
    maximum = phases[0]["creates_per_s"]
    phases += [load(f"{share:.0%}", share * maximum, args.seconds) for share in args.loads]
    _print_phases(phases)
    with Backlog(database_url) as backlog:
        written = write_backlog(database_url, DRAIN, REFERENCE_PAYLOAD, args.backlog)
        _wait(lambda: receipts.drained >= args.backlog, within=600)
    relay = args.backlog / (receipts.drain_last - written)
    drain = {"events": args.backlog, "received": receipts.drained,
             "relay_events_per_s": round(relay), "backlog_every_s": backlog.samples,
             "reference_paho_qos1_per_s": round(reference_rate(broker, args.backlog))}  # fmt: skip
    return {"phases": phases, "drain": drain}


def _maximum_left_behind(
    args: argparse.Namespace, jwks_url: str, auth: dict[str, str]
) -> dict[str, Any]:
    """The maximum with no event delivered: nothing listens at the broker's address, so the
    relay's rounds wait and back off while the outbox fills (a database of its own, dropped
    after: the main run's relay never sees these rows)."""
    database = TestDatabase(args.postgres).create()
    try:
        nowhere = BrokerAddress("127.0.0.1", free_port())
        env = {**_tasks_env(database.url, nowhere, jwks_url), "TASKS__MQTT__CONNECT_TIMEOUT": "0"}
        with Server("benchmarks.tasks.apps:tasks", env) as server:
            creates = paced_creates(server.url("/v1/tasks"), seconds=args.max_seconds,
                                    connections=args.connections, rate=None, body=POST_BODY,
                                    headers=auth)  # fmt: skip
    finally:
        database.drop()
    return {"creates_per_s": round(creates.creates_per_s, 1), "http_p99_ms": creates.p99_ms,
            "non_2xx": creates.non_2xx}  # fmt: skip


def _figures(creates: Creates, receipts: Receipts) -> dict[str, Any]:
    lags = sorted(
        (receipts.created[task] - answered) * 1000
        for task, answered in creates.answered.items()
        if task in receipts.created
    )
    return {
        "rate_asked": None if creates.rate_asked is None else round(creates.rate_asked),
        "creates_per_s": round(creates.creates_per_s, 1),
        "http_p50_ms": creates.p50_ms,
        "http_p99_ms": creates.p99_ms,
        "non_2xx": creates.non_2xx,
        "events_missing": len(creates.answered) - len(lags),
        "lag_p50_ms": _percentile(lags, 50),
        "lag_p99_ms": _percentile(lags, 99),
        "lag_max_ms": round(lags[-1], 1) if lags else None,
    }


def _percentile(ordered: list[float], p: int) -> float | None:
    if len(ordered) < 2:
        return round(ordered[0], 1) if ordered else None
    return round(statistics.quantiles(ordered, n=100, method="inclusive")[p - 1], 1)


def _delivered(creates: Creates, receipts: Receipts, *, within: float) -> float | None:
    """Seconds until every created task's event was received (None: not within `within`)."""
    started = time.monotonic()
    done = _wait(lambda: all(t in receipts.created for t in creates.answered), within=within)
    return round(time.monotonic() - started, 1) if done else None


def _wait(condition: Any, *, within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _tasks_env(database_url: str, broker: BrokerAddress, jwks_url: str) -> dict[str, str]:
    return {
        "TASKS__DATABASE__URL": database_url,
        "TASKS__DATABASE__MIGRATE_AT_START": "true",
        "TASKS__MQTT__URL": broker.url,
        "TASKS__MQTT__CLIENT_ID": f"tasks-bench-{os.getpid()}",
        "TASKS__USERS__BASE_URL": f"http://127.0.0.1:{free_port()}",  # not needed to create
        "TASKS__AUTH__JWKS_URL": jwks_url,
        "TASKS__LOGGING__FORMAT": "json",  # what production runs, access lines included
    }


def _print_phases(phases: list[dict[str, Any]]) -> None:
    print(f"{'load':<9}{'asked/s':>9}{'creates/s':>10}{'http p99':>9}{'lag p50':>9}"
          f"{'lag p99':>9}{'lag max':>9}{'relay p50':>10}{'relay p99':>10}{'missing':>8}"
          f"{'backlog max':>12}")  # fmt: skip
    for p in phases:
        print(f"{p['load']:<9}{p['rate_asked'] or '-':>9}{p['creates_per_s']:>10}"
              f"{p['http_p99_ms']:>9}{p['lag_p50_ms']!s:>9}{p['lag_p99_ms']!s:>9}"
              f"{p['lag_max_ms']!s:>9}{p['relay_p50_ms']!s:>10}{p['relay_p99_ms']!s:>10}"
              f"{p['events_missing']:>8}{p['backlog_max']:>12}")  # fmt: skip
        print(f"         backlog every second: {p['backlog_every_s']}", file=sys.stderr)


def _print_cost(left_behind: dict[str, Any], delivered: dict[str, Any]) -> None:
    ratio = delivered["creates_per_s"] / left_behind["creates_per_s"]
    print(
        f"maximum with every event delivered {delivered['creates_per_s']} creates/s, with the "
        f"events left in the outbox {left_behind['creates_per_s']} creates/s ({ratio:.2f}x)"
    )


def _print_drain(d: dict[str, Any]) -> None:
    print(f"drain of {d['events']} events: relay {d['relay_events_per_s']} events/s, "
          f"plain paho QoS 1 {d['reference_paho_qos1_per_s']} events/s "
          f"({d['relay_events_per_s'] / d['reference_paho_qos1_per_s']:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
