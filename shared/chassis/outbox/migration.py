"""Alembic operations that create and drop the outbox tables in a service's own migration.

>>> def upgrade() -> None:
...     create_outbox_tables()

Alembic is imported when they run (inside a migration, where it is loaded anyway): importing the
outbox must not load it into a process that only serves (~10 MB).
"""

from __future__ import annotations

from chassis.outbox.tables import metadata


def create_outbox_tables() -> None:
    """Create `outbox` and `processed_events` (and their indexes) in the migration's transaction."""
    from alembic import op

    metadata.create_all(op.get_bind())


def drop_outbox_tables() -> None:
    from alembic import op

    metadata.drop_all(op.get_bind())
