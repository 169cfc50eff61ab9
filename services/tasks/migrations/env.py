"""Alembic env of the tasks service: its tables, the outbox's and the idempotency store's."""

from sqlmodel import SQLModel

import tasks.adapters.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from chassis.db import run_migrations
from chassis.idempotency import metadata as idempotency_metadata
from chassis.outbox import metadata as outbox_metadata

run_migrations([SQLModel.metadata, outbox_metadata, idempotency_metadata])
