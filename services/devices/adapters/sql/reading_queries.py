"""Reading the readings back: raw points in keyset pages, buckets and latest values from .sql."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from chassis.db import SqlFiles
from contracts.ids import LAST_ID, parse_id
from devices.adapters.sql.tables import readings
from devices.service.errors import InvalidQuery
from devices.service.readings import Window

QUERIES = ("bucketed_readings", "latest_readings")


def queries() -> SqlFiles:
    return SqlFiles("devices.adapters.sql", "queries", names=QUERIES)


class SqlReadings:
    def __init__(self, session: Session, sql: SqlFiles) -> None:
        self.session, self.sql = session, sql

    def points(
        self, device_id: int, window: Window, metric: str | None, *, limit: int, cursor: str | None
    ) -> tuple[Sequence[Any], str | None]:
        """Raw points in (ts, metric) order; the cursor is the last point's `ts_us:metric`."""
        c = readings.c
        statement = sa.select(c.metric, c.ts_us, c.value).where(
            c.device_id == device_id, c.ts_us >= window.from_us, c.ts_us < window.to_us
        )
        if metric is not None:
            statement = statement.where(c.metric == metric)
        if cursor is not None:
            ts, after = _cursor(cursor)
            statement = statement.where(
                sa.or_(c.ts_us > ts, sa.and_(c.ts_us == ts, c.metric > after))
            )
        rows = self.session.execute(statement.order_by(c.ts_us, c.metric).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, f"{rows[-1].ts_us}:{rows[-1].metric}" if more and rows else None

    def buckets(
        self, device_id: int, window: Window, metric: str | None, bucket_us: int, *, limit: int
    ) -> Sequence[sa.RowMapping]:
        params = {
            "device_id": device_id,
            "from_us": window.from_us,
            "to_us": window.to_us,
            "metric": metric,
            "bucket_us": bucket_us,
            "limit": limit,
        }
        return self.session.execute(self.sql["bucketed_readings"], params).mappings().all()

    def latest(self, device_id: int) -> Sequence[sa.RowMapping]:
        statement = self.sql["latest_readings"]
        return self.session.execute(statement, {"device_id": device_id}).mappings().all()


def _cursor(cursor: str) -> tuple[int, str]:
    ts, _, metric = cursor.partition(":")
    ts_us = parse_id(ts)  # epoch microseconds: the same 64-bit decimal shape as an id
    if ts_us is None or not metric:
        raise InvalidQuery(f"invalid cursor {cursor!r}")
    # Past bigint's range a cursor points past every point, as the range's bound does.
    return min(ts_us, LAST_ID), metric
