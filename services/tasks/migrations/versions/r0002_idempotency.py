"""The chassis's store of answers to creates under an Idempotency-Key.

Expand only: `task_claim` (the claims before it, no longer written: alarms are kept to one task
by `uq_task_alarm`) is left for a later release to drop, as the release before this one may
still run on this schema (docs/migrations.md).

Revision ID: r0002
Revises: r0001
"""

from chassis.idempotency import create_idempotency_table, drop_idempotency_table

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table()


def downgrade() -> None:
    drop_idempotency_table()
