"""Stored answers: written with the effect they answer, read back for retries, purged by age."""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from chassis.idempotency.tables import idempotency_table as _table
from chassis.logging import tagged_logger

PURGE_EVERY = 300.0
"""Seconds between deletions of expired answers, per process and database."""

_log = tagged_logger("DB")
_purged_at: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Answer:
    """What a request was answered: the status and the JSON body, as sent."""

    status: int
    body: bytes


@dataclass(frozen=True)
class Stored:
    """An answer kept under a caller's key, and the fingerprint of the request it answered."""

    fingerprint: str
    answer: Answer


def answer_row(caller: str, key: str, fingerprint: str, answer: Answer) -> dict[str, Any]:
    """The row that keeps `answer` under (`caller`, `key`): insert it with the effect."""
    return {
        "caller": caller,
        "key": key,
        "fingerprint": fingerprint,
        "status": answer.status,
        "body": answer.body,
        "created_at": datetime.now(UTC),
    }


def stored(session: Session, caller: str, key: str) -> Stored | None:
    """The answer kept under (`caller`, `key`), if a committed request left one."""
    columns = (_table.c.fingerprint, _table.c.status, _table.c.body)
    where = (_table.c.caller == caller) & (_table.c.key == key)
    row = session.execute(sa.select(*columns).where(where)).first()
    if row is None:
        return None
    return Stored(row.fingerprint, Answer(row.status, bytes(row.body)))


def purge(connection: sa.Connection | Session, older_than: float) -> int:
    """Delete the answers kept longer than `older_than` seconds; how many went."""
    cutoff = datetime.now(UTC) - timedelta(seconds=older_than)
    result = connection.execute(sa.delete(_table).where(_table.c.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_now_and_then(engine: Engine, older_than: float) -> None:
    """`purge` in a short transaction of its own, at most every PURGE_EVERY seconds per process
    and database: each replica's writes keep the table to its retention, with no loop to run.
    A failure is logged and left for the next time: the answer it follows is committed."""
    now = time.monotonic()
    if now - _purged_at.get(engine, float("-inf")) < PURGE_EVERY:
        return
    _purged_at[engine] = now
    try:
        with engine.begin() as connection:
            gone = purge(connection, older_than)
    except Exception as exc:
        _log.warning("expired idempotency keys not purged: %s", exc)
        return
    if gone:
        _log.info("purged %d idempotency key(s) older than %gs", gone, older_than)
