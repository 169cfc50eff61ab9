"""The service's outbox seen from outside: its backlog every second, and a backlog made at once."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import psycopg

_UNSENT = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
# Ids far above any snowflake of today, so they cannot meet the service's own.
_FIRST_ID = 8_000_000_000_000_000_000


class Backlog:
    """Counts the unsent events every `every` seconds while in its `with` block."""

    def __init__(self, database_url: str, every: float = 1.0) -> None:
        self.samples: list[int] = []
        self._url, self._every = _libpq(database_url), every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Backlog:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            while not self._stop.wait(self._every if self.samples else 0):
                row = conn.execute(_UNSENT).fetchone()
                self.samples.append(int(row[0]) if row else 0)


def write_backlog(database_url: str, topic: str, payload: bytes, count: int) -> float:
    """Commit `count` unsent outbox rows on `topic` in one transaction; when (epoch seconds)."""
    with psycopg.connect(_libpq(database_url)) as conn:
        conn.execute(
            "INSERT INTO outbox (id, topic, payload, created_at, attempts) "
            "SELECT %s + g, %s, %s, now(), 0 FROM generate_series(1, %s) AS g",
            (_FIRST_ID, topic, payload, count),
        )
        conn.commit()
        return time.time()


def relay_delays(database_url: str, since: float) -> dict[str, float | None]:
    """Commit -> published (the row's created_at -> sent_at, after the PUBACK) of the service's
    events since `since` (epoch seconds), p50 and p99 in ms: the relay's share of the lag."""
    query = (
        "SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP "
        "(ORDER BY extract(epoch FROM sent_at - created_at) * 1000) "
        "FROM outbox WHERE id < %s AND created_at >= to_timestamp(%s) AND sent_at IS NOT NULL"
    )
    with psycopg.connect(_libpq(database_url)) as conn:
        row = conn.execute(query, (_FIRST_ID, since)).fetchone()
    p50, p99 = row[0] if row and row[0] else (None, None)
    return {
        "relay_p50_ms": None if p50 is None else round(p50, 1),
        "relay_p99_ms": None if p99 is None else round(p99, 1),
    }


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")
