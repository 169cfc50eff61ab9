"""Alembic wiring: each service keeps its migrations package; the chassis runs them.

The service's migrations folder is a package (`tasks/migrations/__init__.py`) holding `env.py`
and `versions/`; no alembic.ini is needed, the config is built here from the package's location.
Only `migrate` imports this module (and Alembic): a serving process checks its schema with
chassis.db.schema, which reads the revisions without Alembic.
Its env.py is two lines:

>>> from chassis.db import run_migrations
>>> run_migrations([SQLModel.metadata, outbox.metadata])

and the service's `migrate` command (or `Database(..., migrations=...)` at start) calls
`migrate(settings.database.url, "tasks.migrations")`. A database already at a later release's
revision is left alone, one at a revision this release cannot place is refused (see lineage.py,
and docs/migrations.md for how to write migrations a rollback survives).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.pool import NullPool

from chassis.db import lineage
from chassis.db.engine import normalize_url
from chassis.db.schema import SchemaMismatch, migrations_folder, revisions
from chassis.logging import tagged_logger

_log = tagged_logger("DB")


def alembic_config(url: str, migrations: str) -> Config:
    """An Alembic config for the migrations package `migrations` (dotted name) and `url`."""
    config = Config()
    config.set_main_option("script_location", str(migrations_folder(migrations)))
    config.set_main_option("path_separator", "os")
    # The URL goes through `attributes`, not the ini options: configparser would choke on `%`
    # in passwords, and options are visible to anything that prints the config.
    config.attributes["fleet_url"] = normalize_url(url).render_as_string(hide_password=False)
    return config


def migrate(url: str, migrations: str, revision: str = "head") -> None:
    """Upgrade the database at `url` to `revision` with the service's migrations, and record
    the lineage of what is applied, in one transaction. Blocking.

    A database at a later release's revision (after a rollback) is left as it is; one at a
    revision that does not descend from this release's head raises SchemaMismatch."""
    config = alembic_config(url, migrations)
    known = revisions(migrations)
    engine = sa.create_engine(config.attributes["fleet_url"], poolclass=NullPool)
    try:
        with engine.begin() as connection:
            schema = lineage.standing(connection, known)
            if schema.standing == "ahead":
                _log.info("%s: nothing to do", schema.describe())
                return
            if schema.standing == "diverged":
                raise SchemaMismatch(schema, "refusing to migrate")
            _log.info("migrating %s to %s", migrations, revision)
            config.attributes["connection"] = connection  # env.py runs on it, in this transaction
            command.upgrade(config, revision)
            lineage.record(connection, known)
    finally:
        engine.dispose()


def run_migrations(target_metadata: sa.MetaData | Sequence[sa.MetaData] | None = None) -> None:
    """The body of a service's migrations/env.py: run Alembic online against the service's URL."""
    config = context.config
    connection: sa.Connection | None = config.attributes.get("connection")
    if connection is not None:  # from migrate(): its transaction commits the upgrade
        _run_online(connection, target_metadata)
        return
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
            _run_online(connection, target_metadata)
    finally:
        engine.dispose()


def _run_online(
    connection: sa.Connection, target_metadata: sa.MetaData | Sequence[sa.MetaData] | None
) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_not_lineage,
    )
    with context.begin_transaction():
        context.run_migrations()


def _not_lineage(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate leaves the chassis' lineage table alone (it is in no service's metadata)."""
    return not (type_ == "table" and name == lineage.TABLE_NAME)
