"""An alarm remembers the correlation id of the reading that raised it, so the task opened for
it (later, perhaps after retries) carries the same id as the reading and the alarm's event.

Expand only: a nullable column the release before this one ignores (docs/migrations.md).

Revision ID: r0003
Revises: r0002
"""

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alarms", sa.Column("correlation_id", sa.String(128), nullable=True))


def downgrade() -> None:
    op.drop_column("alarms", "correlation_id")
