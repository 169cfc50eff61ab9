"""The outbox and processed-events tables, on a MetaData of their own.

Each service owns its migrations, so the chassis creates no table itself: a service includes
`metadata` in its Alembic env (`run_migrations([SQLModel.metadata, outbox.metadata])`) and creates
the tables in one of its revisions with `create_outbox_tables()`. Autogenerate then sees them as
the service's own and never proposes to drop them.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

outbox_table = sa.Table(
    "outbox",
    metadata,
    # The event's id (a snowflake): time-ordered, so relaying by id keeps the order of commits.
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("topic", sa.String(255), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    # A relay replica owns the row until then; a crashed replica's claim simply expires.
    sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
)
# Relays scan only the unsent rows: a partial index stays tiny however much history is kept.
sa.Index(
    "ix_outbox_unsent",
    outbox_table.c.id,
    postgresql_where=outbox_table.c.sent_at.is_(None),
    sqlite_where=outbox_table.c.sent_at.is_(None),
)
sa.Index("ix_outbox_sent_at", outbox_table.c.sent_at)

processed_events_table = sa.Table(
    "processed_events",
    metadata,
    # Which handler processed it: one service may consume the same event in two handlers.
    sa.Column("consumer", sa.String(200), primary_key=True),
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
)
