"""Add the outbox tables, as every service that publishes events does.

Revision ID: r0002
Revises: r0001
"""

from chassis.outbox import create_outbox_tables, drop_outbox_tables

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_tables()


def downgrade() -> None:
    drop_outbox_tables()
