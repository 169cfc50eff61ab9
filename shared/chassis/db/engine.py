"""One engine from one URL: PostgreSQL through psycopg 3, or a SQLite file."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from chassis.db.settings import DatabaseSettings

_POSTGRES_NAMES = {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"}


def normalize_url(url: str | URL) -> URL:
    """The URL with Fleet's drivers: `postgresql://` means psycopg 3; `sqlite://` pysqlite."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_NAMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}: use postgresql:// or sqlite:///"
    )


def create_engine(settings: DatabaseSettings, **overrides: Any) -> Engine:
    """An engine configured for the URL's database. Opens no connection yet."""
    url = normalize_url(settings.url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, settings, overrides)
    options: dict[str, Any] = {
        # A pooled connection is tested before use, so a restarted server heals transparently.
        "pool_pre_ping": True,
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_timeout": settings.pool_timeout,
        "pool_recycle": settings.pool_recycle,
        "echo": settings.echo,
        # libpq counts whole seconds, and treats anything below 2 as 2.
        "connect_args": {"connect_timeout": max(2, math.ceil(settings.connect_timeout))},
    }
    return sa.create_engine(url, **(options | overrides))


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL points at, or None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlite_engine(url: URL, settings: DatabaseSettings, overrides: dict[str, Any]) -> Engine:
    options: dict[str, Any] = {
        "echo": settings.echo,
        "pool_pre_ping": True,
        # Sessions run in worker threads; SQLAlchemy's pool hands each connection to one at a time.
        "connect_args": {"check_same_thread": False, "timeout": settings.pool_timeout},
    }
    engine = sa.create_engine(url, **(options | overrides))

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the outbox relay read while a request writes; SQLite ignores FKs by default.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine
