"""Alembic operations that create and drop the outbox tables in a service's own migration.

>>> def upgrade() -> None:
...     create_outbox_tables()
"""

from __future__ import annotations

from alembic import op

from chassis.outbox.tables import metadata


def create_outbox_tables() -> None:
    """Create `outbox` and `processed_events` (and their indexes) in the migration's transaction."""
    metadata.create_all(op.get_bind())


def drop_outbox_tables() -> None:
    metadata.drop_all(op.get_bind())
