"""Ingestion benchmark (issue 6): mosquitto_pub (QoS 1) -> private Mosquitto -> devices ->
PostgreSQL, with mosquitto_sub (QoS 1) receiving the same stream in the same run as reference.

    ./pants run benchmarks/devices/ingest.py -- --messages 1000000

Loopback only. The service runs pinned to core 0 (`taskset -c 0`); publishers and the reference
subscriber on core 1. `--replicas 2` adds service processes in the same shared subscription
(`$share/devices/...`), as a Deployment scales out; they alternate between the cores.

Prints messages lost and duplicated (rows counted in the database), the service's persisted
rate against mosquitto_sub's, end-to-end latency p50/p99 (the payload's ts, stamped as the line
is handed to mosquitto_pub, to the row's stored_us, stamped in the batch's transaction) and the
services' RSS at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

CHUNK = 50_000
# As deploy/'s broker: 1,000 in flight to a 3.1.1 client (devices' telemetry connection and
# mosquitto_sub), and a queue that never drops what a slower subscriber has not taken yet.
BROKER_CONF = """listener {port} 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 1000
max_queued_messages 0
max_queued_bytes 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one(db: psycopg.Connection[Any], query: str) -> tuple[Any, ...]:
    row = db.execute(query).fetchone()
    assert row is not None
    return tuple(row)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_http(url: str, within: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} never became ready")


def publish_chunk(port: int, device_id: int, start: int, count: int) -> None:
    """One mosquitto_pub -l process: `count` readings of one device, stamped as they are written."""
    topic = f"fleet/devices/{device_id}/telemetry"
    pub = subprocess.Popen(
        ["taskset", "-c", "1", "mosquitto_pub", "-p", str(port), "-q", "1", "-t", topic, "-l"],
        stdin=subprocess.PIPE,
    )
    assert pub.stdin is not None
    last_us = 0
    lines = []
    for seq in range(start, start + count):
        now_us = max(time.time_ns() // 1000, last_us + 1)
        last_us = now_us
        lines.append(json.dumps({"ts": now_us / 1e6, "metrics": {"seq": seq}}) + "\n")
        if len(lines) == 500:
            pub.stdin.write("".join(lines).encode())
            lines.clear()
    pub.stdin.write("".join(lines).encode())
    pub.stdin.close()
    pub.wait()


class Reference:
    """mosquitto_sub at QoS 1 on the same topics: when each message arrived."""

    def __init__(self, port: int, expected: int) -> None:
        cmd = ["taskset", "-c", "1", "mosquitto_sub", "-p", str(port), "-q", "1"]
        cmd += ["-t", "fleet/devices/+/telemetry", "-C", str(expected), "-i", "bench-ref"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        self.count, self.first, self.last = 0, 0.0, 0.0
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for _ in self.proc.stdout:
            now = time.monotonic()
            if not self.count:
                self.first = now
            self.count += 1
            self.last = now

    def rate(self) -> float:
        return self.count / max(self.last - self.first, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--replicas", type=int, default=1, help="service processes (shared group)")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    per_device = args.messages // args.devices
    total = per_device * args.devices
    work = Path(tempfile.mkdtemp(prefix="devices-bench-"))
    mqtt_port = free_port()
    (work / "mosquitto.conf").write_text(BROKER_CONF.format(port=mqtt_port))
    broker = subprocess.Popen(
        ["mosquitto", "-c", str(work / "mosquitto.conf")], stderr=subprocess.DEVNULL
    )
    dbname = f"devices_bench_{os.getpid()}"
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {dbname}")
    db_url = args.pg.rsplit("/", 1)[0] + f"/{dbname}"
    services: list[subprocess.Popen[bytes]] = []
    try:
        for replica in range(args.replicas):  # one at a time: the first one migrates
            http_port = free_port()
            env = os.environ | {
                "DEVICES__DATABASE__URL": db_url,
                "DEVICES__MQTT__URL": f"mqtt://127.0.0.1:{mqtt_port}",
                "DEVICES__MQTT__CLIENT_ID": f"devices-bench-{replica}",
                "DEVICES__HTTP__PORT": str(http_port),
                "DEVICES__MONITOR__ENABLED": "false",
                "DEVICES__LOGGING__LEVEL": "WARNING",
            }
            core = str(replica % 2)
            command = ["taskset", "-c", core, sys.executable, "-m", "devices.main", "serve"]
            services.append(subprocess.Popen(command, env=env))
            wait_http(f"http://127.0.0.1:{http_port}/health/ready")
        with psycopg.connect(db_url, autocommit=True) as db:
            for device in range(1, args.devices + 1):
                db.execute(
                    "INSERT INTO devices (id, name, kind, site, thresholds, online, created_at)"
                    " VALUES (%s, %s, 'sensor', 'bench', '{}', false, now())",
                    (device, f"bench-{device}"),
                )
        rss_start = [rss_mb(service.pid) for service in services]
        reference = Reference(mqtt_port, total)
        time.sleep(0.5)
        started = time.monotonic()
        chunks = [
            (d, s, min(CHUNK, per_device - s))
            for d in range(1, args.devices + 1)
            for s in range(0, per_device, CHUNK)
        ]
        threads = [
            threading.Thread(target=lambda c=c: publish_chunk(mqtt_port, *c)) for c in chunks
        ]
        for group in range(0, len(threads), 4):  # four publishers at a time
            batch = threads[group : group + 4]
            for t in batch:
                t.start()
            for t in batch:
                t.join()
        published_in = time.monotonic() - started
        with psycopg.connect(db_url, autocommit=True) as db:
            deadline = time.monotonic() + 300
            rows = 0
            while time.monotonic() < deadline:
                rows = one(db, "SELECT count(*) FROM readings")[0]
                if rows >= total:
                    break
                time.sleep(1)
            time.sleep(2)
            rows, distinct, first_us, last_us = one(
                db,
                "SELECT count(*), count(DISTINCT (device_id, value)),"
                " min(stored_us), max(stored_us) FROM readings",
            )
            p50, p99 = one(
                db,
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY stored_us - ts_us),"
                " percentile_cont(0.99) WITHIN GROUP (ORDER BY stored_us - ts_us) FROM readings",
            )
        rss_end = [rss_mb(service.pid) for service in services]
        reference.thread.join(30)
        service_rate = rows / max((last_us - first_us) / 1e6, 1e-9)
        report = {
            "messages": total,
            "published_in_s": round(published_in, 1),
            "mosquitto_sub_received": reference.count,
            "mosquitto_sub_rate": round(reference.rate()),
            "service_rows": rows,
            "service_rate": round(service_rate),
            "ratio": round(service_rate / reference.rate(), 2),
            "lost": total - distinct,
            "duplicated": rows - distinct,
            "latency_p50_ms": round(p50 / 1000, 1),
            "latency_p99_ms": round(p99 / 1000, 1),
            "replicas": args.replicas,
            "rss_start_mb": [round(mb, 1) for mb in rss_start],
            "rss_end_mb": [round(mb, 1) for mb in rss_end],
        }
        print(json.dumps(report, indent=2))
    finally:
        for service in services:
            service.terminate()
        for service in services:
            service.wait(30)
        broker.terminate()
        broker.wait(10)
        with psycopg.connect(args.pg, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
