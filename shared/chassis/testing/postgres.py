"""A throwaway PostgreSQL database per test session, on the server `DATABASE_URL` names.

Each pytest process (Pants runs test files in parallel) creates its own database and drops it at
the end, so parallel sessions never see each other's rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import psycopg
from sqlalchemy.engine import URL, make_url

from chassis.local.unreachable import ServerUnreachable

_START_POSTGRES = (
    "Start it (on a Fleet dev or CI machine: "
    "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'), "
    "or unset DATABASE_URL to run on the embedded SQLite default."
)


@dataclass
class TestDatabase:
    """A database created on the server at `server_url` for one test session.

    >>> db = TestDatabase("postgresql://postgres@127.0.0.1:5432/postgres").create()
    >>> db.url  # postgresql+psycopg://postgres@127.0.0.1:5432/fleet_test_...
    >>> db.drop()
    """

    __test__ = False  # not a pytest test class, despite the name

    server_url: str
    name: str = field(default_factory=lambda: f"fleet_test_{uuid.uuid4().hex[:12]}")

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the test database (psycopg 3 driver)."""
        server = make_url(self.server_url)
        url: URL = server.set(drivername="postgresql+psycopg", database=self.name)
        return url.render_as_string(hide_password=False)

    def create(self) -> TestDatabase:
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        server = make_url(self.server_url)
        try:
            return psycopg.connect(
                host=server.host or "127.0.0.1",
                port=server.port or 5432,
                user=server.username or "postgres",
                password=server.password,
                dbname=server.database or "postgres",
                autocommit=True,
                connect_timeout=5,
            )
        except psycopg.OperationalError as exc:
            where = f"{server.host or '127.0.0.1'}:{server.port or 5432}"
            reason = str(exc).strip().splitlines()[0]
            raise ServerUnreachable(
                f"DATABASE_URL points at PostgreSQL on {where}, which did not answer ({reason}). "
                + _START_POSTGRES
            ) from exc
