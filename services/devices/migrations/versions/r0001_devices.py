"""Devices, readings, alarms, commands, idempotency keys, and the outbox.

Revision ID: r0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from chassis.outbox import create_outbox_tables, drop_outbox_tables

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", _ID, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False, index=True),
        sa.Column("site", sa.String(100), nullable=False, index=True),
        sa.Column("location", sa.String(200)),
        sa.Column("thresholds", sa.JSON),
        sa.Column("decommissioned_at", _TS),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("last_seen", _TS),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "readings",
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("metric", sa.String(100), nullable=False),
        sa.Column("ts_us", _ID, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("stored_us", _ID, nullable=False),
        sa.PrimaryKeyConstraint("device_id", "metric", "ts_us", name="readings_pkey"),
    )
    op.create_table(
        "alarms",
        sa.Column("id", _ID, primary_key=True, autoincrement=False),
        sa.Column("device_id", _ID, nullable=False, index=True),
        sa.Column("metric", sa.String(100), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("raised_at", _TS, nullable=False),
        sa.Column("resolved_at", _TS),
        sa.Column("cleared_at", _TS),
        sa.Column("task_id", _ID, index=True),
    )
    op.create_table(
        "commands",
        sa.Column("id", _ID, primary_key=True, autoincrement=False),
        sa.Column("device_id", _ID, nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("args", sa.JSON),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("detail", sa.String(2000)),
        sa.Column("issued_at", _TS, nullable=False),
        sa.Column("deadline", _TS, nullable=False),
        sa.Column("answered_at", _TS),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("resource_id", _ID, nullable=False),
    )
    create_outbox_tables()


def downgrade() -> None:
    drop_outbox_tables()
    for table in ("idempotency_keys", "commands", "alarms", "readings", "devices"):
        op.drop_table(table)
