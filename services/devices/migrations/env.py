"""Alembic env of the devices service."""

from sqlmodel import SQLModel

from chassis import idempotency, outbox
from chassis.db import run_migrations
from devices.adapters.sql import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

run_migrations([SQLModel.metadata, outbox.metadata, idempotency.metadata])
