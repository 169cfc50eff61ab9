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


def create_missing(server_url: str, names: Iterable[str]) -> list[str]:
    """Create each database `names` names on the server unless it exists; the ones created.

    Blocking (psycopg): run it in a thread from async code."""
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    created = []
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        for name in names:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                created.append(name)
    return created
