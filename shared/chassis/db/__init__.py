"""The service's own database: engine, units of work, repositories, ids, SQL files, migrations.

Sync sessions, on purpose. Services are async FastAPI apps, but the database layer is
synchronous SQLAlchemy run in worker threads (async routes `await tx(work)` with the
`Transactions` a service binds in its api/deps.py, or `await database.transaction(work)`):
- one code path for both databases: async SQLite needs aiosqlite, which is not in the lockfile,
  and the embedded default must behave like PostgreSQL (psycopg 3 sync) in tests;
- SQLModel, Alembic and the repositories stay plain synchronous code (Cosmic Python style),
  with no greenlet bridge and no `await` leaking into the domain;
- the threadpool (40 threads) bounds concurrency near the pool size anyway.

>>> database = Database(DatabaseSettings(url="postgresql://fleet@db:5432/tasks"),
...                     migrations="tasks.migrations", source="tasks")
>>> app = create_app(settings, components=[database, ...])
>>> def complete(task_id: int, uow: UnitOfWork) -> None:        # runs in a worker thread
...     task = SqlTaskRepository(uow.session).get(task_id)
...     task.complete()
...     uow.record(TaskCompleted(task_id=task.id))  # envelope stamped: id, source, time, corr. id
...     uow.commit()                                              # state + outbox row, at once
>>> await database.transaction(lambda uow: complete(7, uow))
"""

from typing import TYPE_CHECKING

from chassis.db.database import Database
from chassis.db.dependencies import Transactions, transactions
from chassis.db.engine import create_engine, normalize_url
from chassis.db.events import EventLog
from chassis.db.failures import data_refused, database_unavailable
from chassis.db.ids import (
    SnowflakeGenerator,
    SnowflakeId,
    WorkerIdUnavailable,
    configure_ids,
    id_time,
    next_id,
)
from chassis.db.lineage import Schema
from chassis.db.repository import InvalidCursor, Page, Repository
from chassis.db.schema import SchemaMismatch, schema_standing
from chassis.db.settings import DatabaseSettings
from chassis.db.sql_files import SqlFiles
from chassis.db.tables import table_of
from chassis.db.unit_of_work import UnitOfWork
from chassis.db.utc_datetime import UtcDateTime

if TYPE_CHECKING:
    from chassis.db.migrations import alembic_config, migrate, run_migrations

__all__ = [
    "Database",
    "DatabaseSettings",
    "EventLog",
    "InvalidCursor",
    "Page",
    "Repository",
    "Schema",
    "SchemaMismatch",
    "SnowflakeGenerator",
    "SnowflakeId",
    "SqlFiles",
    "Transactions",
    "UnitOfWork",
    "UtcDateTime",
    "WorkerIdUnavailable",
    "alembic_config",
    "configure_ids",
    "create_engine",
    "data_refused",
    "database_unavailable",
    "id_time",
    "migrate",
    "next_id",
    "normalize_url",
    "run_migrations",
    "schema_standing",
    "table_of",
    "transactions",
]


def __getattr__(name: str) -> object:
    # Migrations bring Alembic (~10 MB): what `migrate` and the migrations' env.py need, never
    # a process that only serves (it checks its schema with chassis.db.schema).
    if name in ("alembic_config", "migrate", "run_migrations"):
        from chassis.db import migrations

        return getattr(migrations, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
