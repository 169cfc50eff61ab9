"""Burst benchmark (issue 18): QoS 1 readings published as fast as mosquitto_pub can, into a
private Mosquitto with the fleet's limits, ingested by the devices service's pex on PostgreSQL.

    ./pants package services/devices:pex
    ./pants run tools/bench/burst.py -- --readings 1000000 [--kill-after 100000]

Loopback only, bounded (`--timeout`). `--kill-after N` sends SIGKILL to the service once N
readings are stored and starts it again with the same client id, as a pod restarts.
`--max-queued` runs the broker with another `max_queued_messages` (the old 100000 drops).
Prints readings sent, stored, lost, duplicated, the broker's dropped counter and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import psycopg

from chassis.local import LIMITS
from chassis.testing import Burst, Mosquitto, TestDatabase, free_port


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_service(pex: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    service = subprocess.Popen([str(pex), "serve"], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready").status_code == 200:
                return service
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    service.kill()
    raise SystemExit("the devices service never became ready")


def counts(db: psycopg.Connection[tuple[int, ...]]) -> tuple[int, int]:
    row = db.execute(
        "SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT device_id, value"
        " FROM readings) d) FROM readings"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def broker_dropped(broker: Mosquitto) -> str:
    topic = "$SYS/broker/publish/messages/dropped"
    command = ["mosquitto_sub", "-p", str(broker.address.port), "-t", topic, "-C", "1", "-W", "15"]
    # Mosquitto publishes the counter once it has changed: nothing published, nothing dropped.
    return subprocess.run(command, capture_output=True, text=True).stdout.strip() or "0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--kill-after", type=int, default=0, help="stored readings, then kill -9")
    parser.add_argument("--max-queued", type=int, default=None, help="override the fleet's")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for stores")
    parser.add_argument("--pex", type=Path, default=Path("dist/services.devices/pex.pex"))
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    if not args.pex.exists():
        raise SystemExit(f"{args.pex} not found: run ./pants package services/devices:pex first")
    limits = LIMITS
    if args.max_queued is not None:
        limits = f"max_inflight_messages 1000\nmax_queued_messages {args.max_queued}\n"
    broker = Mosquitto(limits=limits)
    broker.start()
    database = TestDatabase(args.pg).create()
    port = free_port()
    env = os.environ | {
        "DEVICES__DATABASE__URL": database.url,
        "DEVICES__MQTT__URL": broker.address.url,
        "DEVICES__MQTT__CLIENT_ID": "devices-burst",
        "DEVICES__INGEST__SHARE_GROUP": "",  # one replica, as ./fleet up runs it
        "DEVICES__HTTP__PORT": str(port),
        "DEVICES__MONITOR__ENABLED": "false",
        "DEVICES__LOGGING__LEVEL": "WARNING",
    }
    service = start_service(args.pex, env, port)
    burst = Burst(
        [f"fleet/devices/{d}/telemetry" for d in range(1, args.devices + 1)],
        per_topic=args.readings // args.devices,
    )
    peak_rss = [0.0]
    try:
        db = psycopg.connect(database.url.replace("+psycopg", ""), autocommit=True)
        for device in range(1, args.devices + 1):
            db.execute(
                "INSERT INTO devices (id, name, kind, site, online, created_at)"
                " VALUES (%s, 'burst', 'sensor', 'bench', false, now())",
                (device,),
            )
        sent_in: list[float] = []
        sender = threading.Thread(target=lambda: sent_in.append(burst.send(broker.address)))
        started = time.monotonic()
        sender.start()
        killed_at = None
        deadline = started + args.timeout
        rows = 0
        while time.monotonic() < deadline:
            rows = counts(db)[0]
            peak_rss[0] = max(peak_rss[0], rss_mb(broker._process.pid))  # type: ignore[union-attr]
            if args.kill_after and killed_at is None and rows >= args.kill_after:
                service.send_signal(signal.SIGKILL)
                service.wait()
                killed_at = rows
                service = start_service(args.pex, env, port)
            if rows >= burst.total or (not sender.is_alive() and _idle(db, rows)):
                break
            time.sleep(0.5)
        sender.join()
        stored_in = time.monotonic() - started
        rows, distinct = counts(db)
        report = {
            "readings": burst.total,
            "max_queued_messages": args.max_queued or "fleet",
            "killed_after_stored": killed_at,
            "published_in_s": round(sent_in[0], 1) if sent_in else None,
            "stored_in_s": round(stored_in, 1),
            "stored": rows,
            "lost": burst.total - distinct,
            "duplicated": rows - distinct,
            "rows_per_s": round(rows / stored_in),
            "broker_dropped": broker_dropped(broker),
            "broker_peak_rss_mb": round(peak_rss[0], 1),
        }
        print(json.dumps(report, indent=2))
    finally:
        service.terminate()
        service.wait(30)
        broker.stop()
        database.drop()


def _idle(db: psycopg.Connection[tuple[int, ...]], rows: int) -> bool:
    """Nothing more stored in 10 s: what is missing is not coming (the broker dropped it)."""
    time.sleep(10)
    return counts(db)[0] == rows


if __name__ == "__main__":
    main()
