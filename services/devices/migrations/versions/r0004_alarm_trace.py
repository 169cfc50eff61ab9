"""An alarm remembers the trace context of the reading that raised it, so the task opened for it
(later, perhaps after retries) continues the reading's trace, and its resolution links to it.

Expand only: a nullable column the release before this one ignores (docs/migrations.md).

Revision ID: r0004
Revises: r0003
"""

import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alarms", sa.Column("traceparent", sa.String(128), nullable=True))


def downgrade() -> None:
    op.drop_column("alarms", "traceparent")
