"""Readings written in bulk: binary COPY through a staging table on PostgreSQL, a multi-row
INSERT on SQLite; either way duplicates of (device, metric, ts) are dropped by the key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from chassis.db import table_of
from devices.adapters.sql.tables import DeviceRow, readings
from devices.service.ingestion import Sample

_COLUMNS = "device_id, metric, ts_us, value, stored_us"
_COPY = f"COPY readings_staging ({_COLUMNS}) FROM STDIN (FORMAT BINARY)"
# Duplicates (a redelivered message, a device resending) are dropped by the primary key.
_MERGE = (
    f"INSERT INTO readings ({_COLUMNS}) SELECT {_COLUMNS} FROM readings_staging "  # noqa: S608
    "ON CONFLICT DO NOTHING"
)
# Run in every batch's transaction, never remembered on the connection: a batch rolled back
# takes a staging table it created with it, and the next batch must create it again.
_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS readings_staging "
    "(LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def store_samples(session: Session, samples: Sequence[Sample], stored_us: int) -> None:
    """Insert `samples` (duplicates ignored) and move each device's last_seen forward."""
    if not samples:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, samples, stored_us)
    else:
        rows = [s._asdict() | {"stored_us": stored_us} for s in samples]
        session.execute(sqlite.insert(readings).on_conflict_do_nothing(), rows)
    _touch_devices(session, samples)


def _copy(connection: sa.Connection, samples: Sequence[Sample], stored_us: int) -> None:
    pooled: Any = connection.connection
    raw = pooled.driver_connection  # psycopg 3
    with raw.cursor() as cursor:
        cursor.execute(_STAGING)
        with cursor.copy(_COPY) as copy:
            copy.set_types(["int8", "text", "int8", "float8", "int8"])
            for sample in samples:
                copy.write_row((*sample, stored_us))
        cursor.execute(_MERGE)


def _touch_devices(session: Session, samples: Sequence[Sample]) -> None:
    latest: dict[int, int] = {}
    for sample in samples:
        seen = latest.get(sample.device_id)
        if seen is None or sample.ts_us > seen:
            latest[sample.device_id] = sample.ts_us
    table = table_of(DeviceRow)
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("device"))
        .where(sa.or_(table.c.last_seen.is_(None), table.c.last_seen < sa.bindparam("seen")))
        .values(last_seen=sa.bindparam("seen"))
    )
    params = [
        {"device": device, "seen": _EPOCH + timedelta(microseconds=ts)}  # exact, any year
        for device, ts in sorted(latest.items())  # one lock order: no deadlock between batches
    ]
    session.connection().execute(statement, params)
