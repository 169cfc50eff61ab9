"""The one column type for moments: stored in UTC, read back as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on PostgreSQL and SQLite alike.

    PostgreSQL's `timestamptz` keeps the instant; SQLite stores the wall time without its offset
    and hands it back naive. So values are converted to UTC on the way in and marked UTC on the
    way out: a service compares and serialises the same datetimes on both databases. A naive
    value is taken to be UTC. The column is `DateTime(timezone=True)`, so migrations create it
    with `sa.DateTime(timezone=True)`.

    >>> class AlarmRow(SQLModel, table=True):
    ...     raised_at: datetime = Field(sa_type=UtcDateTime)
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else _utc(value)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else _utc(value)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
