"""Failed logins per (account, client), shared by every replica (the login throttle).

Revision ID: r0002
Revises: r0001
"""

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("account", sa.String(160), primary_key=True),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_failures_client", "login_failures", ["client", "last_failed_at"])
    op.create_index("ix_login_failures_last_failed_at", "login_failures", ["last_failed_at"])


def downgrade() -> None:
    op.drop_table("login_failures")
