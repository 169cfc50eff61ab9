"""Alembic operations that create and drop the idempotency table in a service's own migration.

>>> def upgrade() -> None:
...     create_idempotency_table()
"""

from __future__ import annotations

from alembic import op

from chassis.idempotency.tables import metadata


def create_idempotency_table() -> None:
    """Create `idempotent_requests` (and its index) in the migration's transaction."""
    metadata.create_all(op.get_bind())


def drop_idempotency_table() -> None:
    metadata.drop_all(op.get_bind())
