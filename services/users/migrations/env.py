"""Alembic env of the users service: its tables and the outbox's."""

from sqlmodel import SQLModel

import users.adapters.tables  # noqa: F401 (registers the tables on SQLModel.metadata)
from chassis.db import run_migrations
from chassis.outbox import metadata as outbox_metadata

run_migrations([SQLModel.metadata, outbox_metadata])
