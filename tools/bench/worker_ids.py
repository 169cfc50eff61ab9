"""Ids/s with two replicas, each a process holding a worker id it claimed from PostgreSQL.

Each replica claims its worker id as an app does (`WorkerIdLease`, on a throwaway database),
then makes ids with `next_id()` for `--seconds`, checking that every id is above the last and
carries its worker id (outside the timed part). Loopback only, bounded.

    ./pants run tools/bench/worker_ids.py -- --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import subprocess
import sys
import time

from chassis.db import DatabaseSettings, next_id
from chassis.db.worker_lease import WorkerIdLease
from chassis.testing import TestDatabase

_CHUNK = 10_000


def make_ids(worker_id: int, seconds: float) -> tuple[int, float]:
    """Ids made in about `seconds`, and the seconds spent making them (checks excluded)."""
    made, spent, last = 0, 0.0, -1
    while spent < seconds:
        started = time.perf_counter()
        chunk = [next_id() for _ in range(_CHUNK)]
        spent += time.perf_counter() - started
        if chunk[0] <= last or any(b <= a for a, b in itertools.pairwise(chunk)):
            raise SystemExit("ids went backwards")
        if any((i >> 12) & 0x3FF != worker_id for i in chunk):
            raise SystemExit("an id carries another worker id")
        made, last = made + _CHUNK, chunk[-1]
    return made, spent


async def replica(url: str, seconds: float) -> None:
    lease = WorkerIdLease(DatabaseSettings(url=url))
    await lease.start()
    worker_id = lease.worker_id
    if worker_id is None:
        raise SystemExit(f"no worker id: {lease.health().detail}")
    print(json.dumps({"worker_id": worker_id}), flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # go: both replicas make ids at once
    made, spent = await asyncio.to_thread(make_ids, worker_id, seconds)
    print(json.dumps({"worker_id": worker_id, "ids": made, "seconds": spent}), flush=True)
    await lease.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--server",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server; the benchmark creates and drops a database on it.",
    )
    parser.add_argument("--replica", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replica:
        asyncio.run(replica(args.replica, args.seconds))
        return
    database = TestDatabase(args.server).create()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [
        sys.executable,
        "-m",
        "bench.worker_ids",
        "--replica",
        database.url,
        "--seconds",
        str(args.seconds),
    ]
    try:
        replicas = [
            subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
            )
            for _ in range(2)
        ]
        claims = [json.loads(_line(r)) for r in replicas]
        for r in replicas:  # go, to both before waiting for either
            assert r.stdin is not None
            r.stdin.write("go\n")
            r.stdin.flush()
        results = [json.loads(_line(r)) for r in replicas]
        for r in replicas:
            r.communicate(timeout=30)
    finally:
        database.drop()
    print(f"worker ids claimed: {[c['worker_id'] for c in claims]}")
    for result in results:
        rate = result["ids"] / result["seconds"]
        print(f"worker {result['worker_id']:>4}: {result['ids']:>10,} ids  {rate:>12,.0f} ids/s")
    total = sum(r["ids"] / r["seconds"] for r in results)
    print(f"two replicas together: {total:,.0f} ids/s")


def _line(replica: subprocess.Popen[str]) -> str:
    assert replica.stdout is not None
    line = replica.stdout.readline()
    if not line:
        raise SystemExit(f"a replica exited with {replica.wait()}")
    return line


if __name__ == "__main__":
    main()
