"""A service process that commits an event, starts publishing it, and is then killed with -9.

    python -m chassis.outbox.tests.crashing_writer DATABASE_URL TOPIC PAYLOAD

Its relay claims the row (a lease of one second) and hands it to a broker that never
acknowledges; the process prints `publishing` and waits for its end.
"""

from __future__ import annotations

import asyncio
import sys

from chassis.db import Database, DatabaseSettings, UnitOfWork
from chassis.outbox import OutboxRelay, OutboxSettings


async def _write_and_hang(url: str, topic: str, payload: bytes) -> None:
    database = Database(DatabaseSettings(url=url))
    await database.start()
    publishing = asyncio.Event()

    async def never_acknowledged(_topic: str, _payload: bytes) -> None:
        publishing.set()
        await asyncio.Event().wait()

    relay = OutboxRelay(database, never_acknowledged, OutboxSettings(poll_interval=60, lease=1))
    await relay.start()

    def write(uow: UnitOfWork) -> None:
        uow.emit(topic, payload)

    await database.transaction(write)
    await publishing.wait()
    print("publishing", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_write_and_hang(sys.argv[1], sys.argv[2], sys.argv[3].encode()))
