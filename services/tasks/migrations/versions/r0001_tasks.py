"""Tasks, their history, labels and idempotency claims; the outbox tables.

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

# The models' UtcDateTime is this column type (it converts values, not the schema).
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("priority_rank", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("due_at", _TS, nullable=True),
        sa.Column("due_sort", sa.BigInteger, nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("device_id", sa.BigInteger, nullable=True),
        sa.Column("alarm_id", sa.BigInteger, nullable=True),
        sa.Column("reporter_id", sa.String(64), nullable=False),
        sa.Column("assignee_id", sa.BigInteger, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_task_status", "task", ["status", "id"])
    op.create_index("ix_task_assignee", "task", ["assignee_id", "id"])
    op.create_index("ix_task_reporter", "task", ["reporter_id", "id"])
    op.create_index("ix_task_device", "task", ["device_id", "id"])
    op.create_index("ix_task_priority", "task", ["priority_rank", "id"])
    op.create_index("ix_task_due", "task", ["due_sort", "id"])
    op.create_index("uq_task_alarm", "task", ["alarm_id"], unique=True)
    op.create_table(
        "task_history",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("task_id", sa.BigInteger, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("ix_task_history_task_id", "task_history", ["task_id"])
    op.create_table(
        "task_claim",
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("task_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "task_label",
        sa.Column("label", sa.String(50), primary_key=True),
        sa.Column("task_id", sa.BigInteger, primary_key=True),
    )
    create_outbox_tables()


def downgrade() -> None:
    drop_outbox_tables()
    for table in ("task_label", "task_claim", "task_history", "task"):
        op.drop_table(table)
