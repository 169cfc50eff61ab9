"""Alembic operations that create and drop the idempotency table in a service's own migration.

>>> def upgrade() -> None:
...     create_idempotency_table()

Alembic is imported when they run, as the outbox's (chassis.outbox.migration): not by a process
that only serves.
"""

from __future__ import annotations

from chassis.idempotency.tables import metadata


def create_idempotency_table() -> None:
    """Create `idempotent_requests` (and its index) in the migration's transaction."""
    from alembic import op

    metadata.create_all(op.get_bind())


def drop_idempotency_table() -> None:
    from alembic import op

    metadata.drop_all(op.get_bind())
