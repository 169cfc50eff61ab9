"""The outbox's SQL: rows for the writer's transaction, claim, mark sent, release, count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from chassis.db.events import PendingEvent
from chassis.outbox.tables import outbox_table as _outbox

# What a unit of work collects is what the outbox holds and the relay publishes.
OutboxMessage = PendingEvent


def outbox_rows(messages: Sequence[OutboxMessage]) -> tuple[sa.Table, list[dict[str, Any]]]:
    """The outbox rows of `messages`, for the writer's transaction (committed with the change).

    This is the units of work's event store (`chassis.db.events`): `chassis.outbox` registers it.
    """
    now = datetime.now(UTC)
    return _outbox, [
        {"id": m.id, "topic": m.topic, "payload": m.payload, "created_at": now, "attempts": 0}
        for m in messages
    ]


def claim(conn: sa.Connection, limit: int, lease: float) -> list[OutboxMessage]:
    """Lease up to `limit` unsent rows, oldest first, to this relay for `lease` seconds.

    `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer and renders nothing) lets
    replicas claim disjoint batches at the same moment instead of queueing on each other's locks.
    """
    now = datetime.now(UTC)
    free = sa.or_(_outbox.c.claimed_until.is_(None), _outbox.c.claimed_until < now)
    candidates = (
        sa.select(_outbox.c.id)
        .where(_outbox.c.sent_at.is_(None), free)
        .order_by(_outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = conn.execute(
        sa.update(_outbox)
        .where(_outbox.c.id.in_(candidates.scalar_subquery()))
        .values(claimed_until=now + timedelta(seconds=lease), attempts=_outbox.c.attempts + 1)
        .returning(_outbox.c.id, _outbox.c.topic, _outbox.c.payload)
    ).all()
    return sorted((OutboxMessage(r.id, r.topic, bytes(r.payload)) for r in claimed), key=_id)


def mark_sent(conn: sa.Connection, ids: Sequence[int]) -> None:
    if ids:
        conn.execute(
            sa.update(_outbox)
            .where(_outbox.c.id.in_(ids))
            .values(sent_at=datetime.now(UTC), claimed_until=None, last_error=None)
        )


def release(conn: sa.Connection, ids: Sequence[int], error: str) -> None:
    """Hand rows back unsent, so the next attempt (by any replica) starts with them."""
    if ids:
        conn.execute(
            sa.update(_outbox)
            .where(_outbox.c.id.in_(ids))
            .values(claimed_until=None, last_error=error[:2000])
        )


class Backlog(NamedTuple):
    """The events written but not yet published: how many, and how long the oldest has waited."""

    events: int
    oldest_age: float  # seconds; 0 when none waits


def backlog(conn: sa.Connection) -> Backlog:
    """The outbox's backlog, in one query over the unsent rows (the partial index's few)."""
    query = sa.select(sa.func.count(), sa.func.min(_outbox.c.created_at)).where(
        _outbox.c.sent_at.is_(None)
    )
    events, oldest = conn.execute(query).one()
    if oldest is None:
        return Backlog(0, 0.0)
    # SQLite hands the stored UTC time back without its zone.
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
    # Written by another replica's clock, maybe a little ahead of this one's: never negative.
    return Backlog(int(events), max(0.0, (datetime.now(UTC) - oldest).total_seconds()))


def purge_sent(conn: sa.Connection, older_than: float) -> int:
    """Delete rows published more than `older_than` seconds ago; how many went."""
    cutoff = datetime.now(UTC) - timedelta(seconds=older_than)
    result = conn.execute(sa.delete(_outbox).where(_outbox.c.sent_at < cutoff))
    return int(result.rowcount)


def _id(message: OutboxMessage) -> int:
    return message.id
