"""One replica of a service, reduced to what ids need, as a process of its own.

It claims a worker id as an app does (or takes `--worker-id`), prints it as a JSON line, waits
for a line on stdin (so that replicas make their ids at the same time), then creates `rows` rows
in `table`, one id per row as a service creates them, and prints what it did:

    python -m chassis.db.tests.replica URL TABLE ROWS [--worker-id N]
    {"worker_id": 517}
    go
    {"worker_id": 517, "rows": 10000, "seconds": 0.41}

A row whose id was already taken is skipped (ON CONFLICT DO NOTHING): the table's count shows
the collisions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import psycopg
from psycopg import sql

from chassis.db import DatabaseSettings, configure_ids, next_id, normalize_url
from chassis.db.worker_lease import WorkerIdLease

_COMMIT_EVERY = 500


def create_rows(url: str, table: str, rows: int, replica: str) -> None:
    insert = sql.SQL("INSERT INTO {} (id, replica) VALUES (%s, %s) ON CONFLICT DO NOTHING")
    statement = insert.format(sql.Identifier(table))
    conninfo = normalize_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as connection, connection.pipeline():
        cursor = connection.cursor()
        for made in range(1, rows + 1):
            cursor.execute(statement, (next_id(), replica))
            if made % _COMMIT_EVERY == 0:
                connection.commit()
        connection.commit()


async def main(url: str, table: str, rows: int, worker_id: int | None) -> None:
    lease = None
    if worker_id is None:
        lease = WorkerIdLease(DatabaseSettings(url=url))
        await lease.start()
        worker_id = lease.worker_id
    else:
        configure_ids(worker_id)
    print(json.dumps({"worker_id": worker_id}), flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    started = time.perf_counter()
    # In a worker thread, as services make ids: the lease keeps watching its connection.
    await asyncio.to_thread(create_rows, url, table, rows, f"worker-{worker_id}")
    seconds = round(time.perf_counter() - started, 3)
    print(json.dumps({"worker_id": worker_id, "rows": rows, "seconds": seconds}), flush=True)
    if lease is not None:
        await lease.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("table")
    parser.add_argument("rows", type=int)
    parser.add_argument("--worker-id", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.table, args.rows, args.worker_id))
