"""A UtcDateTime column hands back aware UTC datetimes on PostgreSQL and SQLite alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from chassis.db import DatabaseSettings, UtcDateTime, create_engine

_metadata = sa.MetaData()
_moments = sa.Table(
    "chassis_test_moment",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=True),
)
_PARIS_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture(params=["sqlite", "session"])
def connection(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str
) -> Iterator[sa.Connection]:
    """On SQLite, where the type matters most, and on the session's database (PostgreSQL when
    DATABASE_URL is set)."""
    url = f"sqlite:///{tmp_path / 'moments.sqlite3'}" if request.param == "sqlite" else database_url
    engine = create_engine(DatabaseSettings(url=url))
    _metadata.create_all(engine)
    try:
        with engine.connect() as conn:
            yield conn
            conn.rollback()
    finally:
        _metadata.drop_all(engine)
        engine.dispose()


def _store(conn: sa.Connection, *moments: datetime | None) -> None:
    conn.execute(sa.insert(_moments), [{"id": i, "at": at} for i, at in enumerate(moments)])


def test_reads_back_the_moment_written_as_an_aware_utc_datetime(
    connection: sa.Connection,
) -> None:
    _store(connection, datetime(2024, 6, 1, 12, 0, tzinfo=_PARIS_SUMMER))
    at = connection.execute(sa.select(_moments.c.at)).scalar_one()
    assert at == datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
    assert at.utcoffset() == timedelta(0)


def test_takes_a_naive_datetime_to_be_utc(connection: sa.Connection) -> None:
    _store(connection, datetime(2024, 6, 1, 12, 0))
    assert connection.execute(sa.select(_moments.c.at)).scalar_one() == datetime(
        2024, 6, 1, 12, 0, tzinfo=UTC
    )


def test_keeps_a_missing_moment_missing(connection: sa.Connection) -> None:
    _store(connection, None)
    assert connection.execute(sa.select(_moments.c.at)).scalar_one() is None


def test_compares_moments_written_with_different_offsets_by_instant(
    connection: sa.Connection,
) -> None:
    noon_utc = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    _store(connection, noon_utc, datetime(2024, 6, 1, 13, 30, tzinfo=_PARIS_SUMMER))  # 11:30Z
    earlier = sa.select(_moments.c.id).where(_moments.c.at < noon_utc.astimezone(_PARIS_SUMMER))
    assert connection.execute(earlier).scalars().all() == [1]
