"""The chassis's store of answers to creates under an Idempotency-Key.

Expand only: `users.idempotency_key` (the store before it, no longer written) is left for a
later release to drop, as the release before this one may still run on this schema
(docs/migrations.md).

Revision ID: r0003
Revises: r0002
"""

from chassis.idempotency import create_idempotency_table, drop_idempotency_table

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table()


def downgrade() -> None:
    drop_idempotency_table()
