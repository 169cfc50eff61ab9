"""Alembic wiring: each service keeps its migrations package; the chassis runs them.

The service's migrations folder is a package (`tasks/migrations/__init__.py`) holding `env.py`
and `versions/`; no alembic.ini is needed, the config is built here from the package's location.
Its env.py is two lines:

>>> from chassis.db import run_migrations
>>> run_migrations([SQLModel.metadata, outbox.metadata])

and the service's `migrate` command (or `Database(..., migrations=...)` at start) calls
`migrate(settings.database.url, "tasks.migrations")`.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.pool import NullPool

from chassis.db.engine import normalize_url
from chassis.logging import tagged_logger

_log = tagged_logger("DB")


def alembic_config(url: str, migrations: str) -> Config:
    """An Alembic config for the migrations package `migrations` (dotted name) and `url`."""
    folder = Path(str(files(migrations)))
    if not (folder / "env.py").is_file():
        raise FileNotFoundError(f"{migrations} has no env.py at {folder}: not a migrations package")
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.set_main_option("path_separator", "os")
    # The URL goes through `attributes`, not the ini options: configparser would choke on `%`
    # in passwords, and options are visible to anything that prints the config.
    config.attributes["fleet_url"] = normalize_url(url).render_as_string(hide_password=False)
    return config


def migrate(url: str, migrations: str, revision: str = "head") -> None:
    """Upgrade the database at `url` to `revision` with the service's migrations. Blocking."""
    _log.info("migrating %s to %s", migrations, revision)
    command.upgrade(alembic_config(url, migrations), revision)


def run_migrations(target_metadata: sa.MetaData | Sequence[sa.MetaData] | None = None) -> None:
    """The body of a service's migrations/env.py: run Alembic online against the service's URL."""
    config = context.config
    url = config.attributes.get("fleet_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: run migrations through chassis.db.migrate()")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
