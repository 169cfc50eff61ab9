"""New rows for several tables written at once: one statement, one round trip, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

Rows = tuple[sa.Table, Sequence[Mapping[str, Any]]]
_Shape = tuple[tuple[sa.Table, tuple[str, ...]], ...]


def insert_rows(session: Session, inserts: Iterable[Rows]) -> None:
    """INSERT every table's rows in the session's transaction.

    On PostgreSQL they all go in one statement (data-modifying CTEs: atomic, and one round trip
    instead of one per table, which is what a write request mostly waits on); elsewhere one
    executemany per table.
    """
    rows = [(table, row) for table, table_rows in inserts for row in table_rows]
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        tables: dict[sa.Table, list[Mapping[str, Any]]] = {}
        for table, row in rows:
            tables.setdefault(table, []).append(row)
        for table, table_rows in tables.items():
            session.execute(sa.insert(table), table_rows)
        return
    shape = tuple((table, tuple(row)) for table, row in rows)
    params = {f"r{n}_{key}": value for n, (_, row) in enumerate(rows) for key, value in row.items()}
    session.execute(_statement(shape), params)


@lru_cache(maxsize=256)
def _statement(shape: _Shape) -> sa.Insert:
    # One single-row INSERT per row, values as bind parameters: SQLAlchemy caches the compiled
    # form of such a statement (a multi-row VALUES is compiled again on every call).
    inserts = [
        sa.insert(table).values({key: sa.bindparam(f"r{n}_{key}") for key in keys})
        for n, (table, keys) in enumerate(shape)
    ]
    *first, statement = inserts
    for n, insert in enumerate(first):
        statement = statement.add_cte(insert.cte(f"insert_{n}"))
    return statement
