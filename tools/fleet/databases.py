"""One database per service: SQLite files under .fleet/, or databases on a PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def sqlite_urls(names: Iterable[str], state_dir: Path) -> dict[str, str]:
    """A SQLite file per service under the runner's state folder."""
    return {name: f"sqlite:///{(state_dir / f'{name}.sqlite3').resolve()}" for name in names}


def postgres_urls(server_url: str, names: Iterable[str], prefix: str = "") -> dict[str, str]:
    """The URL of each service's database (`<prefix><service>`) on the server `server_url`
    names."""
    parts = urlsplit(server_url)
    if parts.scheme.split("+")[0] not in ("postgres", "postgresql"):
        raise ValueError(
            f"FLEET_DATABASE_URL must be a postgresql:// URL, not {server_url!r} "
            "(unset it for a SQLite file per service)"
        )
    return {name: urlunsplit(parts._replace(path=f"/{prefix}{name}")) for name in names}


# What each service process holds on its database besides its pool: the worker-id lease's
# connection and the outbox relay's own (chassis.db.worker_lease, chassis.outbox.relay).
HELD_BESIDE_THE_POOL = 2
# The pool a service keeps by its own settings (chassis.db.DatabaseSettings.pool_size; a test
# holds the two equal: this tool does not load the database layer).
SERVICE_POOL_SIZE = 15


class TooFewConnections(Exception):
    """The server cannot take even a pool of one per service process."""


def pool_share(free: int, processes: int) -> int | None:
    """The pool each of `processes` may keep so that together they fit the server's `free`
    connections; None when the services' own pool fits already.

    A fleet of dozens on one laptop server would otherwise run it out of connections
    mid-request (PostgreSQL's default max_connections is 100): the pools shrink instead."""
    share = free // max(processes, 1) - HELD_BESIDE_THE_POOL
    if share >= SERVICE_POOL_SIZE:
        return None
    if share < 1:
        need = processes * (HELD_BESIDE_THE_POOL + 1)
        raise TooFewConnections(
            f"{processes} service processes need at least {need} connections "
            f"({HELD_BESIDE_THE_POOL + 1} each) and the server takes {free} more: raise its "
            "max_connections, or run fewer services (FLEET_SERVICES)"
        )
    return share


def free_connections(server_url: str) -> int:
    """How many more connections the server takes now (its slots kept for superusers aside).

    Blocking (psycopg): run it in a thread from async code."""
    with psycopg.connect(_admin_url(server_url), autocommit=True, connect_timeout=5) as db:
        (free,) = db.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
        ).fetchone() or (0,)
    return int(free) + 1  # this one, closed by now


def create_missing(server_url: str, names: Iterable[str]) -> list[str]:
    """Create each database `names` names on the server unless it exists; the ones created.

    Blocking (psycopg): run it in a thread from async code."""
    created = []
    with psycopg.connect(_admin_url(server_url), autocommit=True, connect_timeout=5) as connection:
        for name in names:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                created.append(name)
    return created


def _admin_url(server_url: str) -> str:
    """psycopg's spelling of the server's URL (no SQLAlchemy `+driver`)."""
    return urlunsplit(urlsplit(server_url)._replace(scheme="postgresql"))
