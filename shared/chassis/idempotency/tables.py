"""The table of answers given under an Idempotency-Key, on a MetaData of its own.

As with the outbox, each service owns its migrations: it includes `metadata` in its Alembic env
and creates the table in one of its revisions with `create_idempotency_table()`.
"""

from __future__ import annotations

import sqlalchemy as sa

from chassis.db.utc_datetime import UtcDateTime

metadata = sa.MetaData()

idempotency_table = sa.Table(
    "idempotent_requests",
    metadata,
    # The key is the caller's: two callers may use the same one for different requests.
    sa.Column("caller", sa.String(200), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    # What was asked (method, path, body): tells a retry from a key reused for something else.
    sa.Column("fingerprint", sa.String(64), nullable=False),
    # What was answered, given again byte for byte to every retry.
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
# Expired answers are deleted by age (`store.purge`).
sa.Index("ix_idempotent_requests_created_at", idempotency_table.c.created_at)
