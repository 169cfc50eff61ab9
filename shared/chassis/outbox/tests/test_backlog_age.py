"""How long the oldest unsent event has waited: counted with the backlog, exported as a gauge."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from chassis.db import Database
from chassis.outbox import OutboxRelay, OutboxSettings, outbox_table
from chassis.outbox.store import backlog
from chassis.outbox.tests.conftest import RecordingPublisher, eventually

FAST = OutboxSettings(poll_interval=0.05, retry_initial=0.05, retry_max=0.2, grace_period=5)


def _written(database: Database, *ages: float, sent: bool = False) -> None:
    """Outbox rows written `ages` seconds ago (published long since when `sent`)."""
    now = datetime.now(UTC)
    start = int(now.timestamp() * 1000) * 1000 + (500 if sent else 0)
    rows = [
        {
            "id": start + n,
            "topic": "fleet/events/test/x",
            "payload": b"{}",
            "created_at": now - timedelta(seconds=age),
            "sent_at": now if sent else None,
            "attempts": 0,
        }
        for n, age in enumerate(ages)
    ]
    with database.engine.begin() as conn:
        conn.execute(sa.insert(outbox_table), rows)


def _age_gauge() -> float | None:
    return REGISTRY.get_sample_value("fleet_outbox_oldest_age_seconds")


def test_the_backlog_counts_unsent_events_and_the_age_of_the_oldest(database: Database) -> None:
    _written(database, 30, 90)
    _written(database, 500, sent=True)
    with database.engine.begin() as conn:
        events, oldest_age = backlog(conn)
    assert events == 2
    assert oldest_age == pytest.approx(90, abs=5)


def test_an_empty_backlog_has_no_age(database: Database) -> None:
    _written(database, 500, sent=True)
    with database.engine.begin() as conn:
        assert backlog(conn) == (0, 0.0)


async def test_the_gauge_reports_how_long_the_oldest_waiting_event_has_waited(
    database: Database, publisher: RecordingPublisher
) -> None:
    publisher.down = True
    _written(database, 90, 20)
    relay = OutboxRelay(database, publisher, FAST)
    await relay.start()
    try:
        await eventually(lambda: (_age_gauge() or 0) >= 90)
    finally:
        await relay.stop()
    assert _age_gauge() == pytest.approx(90, abs=10)


async def test_the_gauge_falls_to_zero_once_the_waiting_events_are_published(
    database: Database, publisher: RecordingPublisher
) -> None:
    publisher.down = True
    _written(database, 90)
    relay = OutboxRelay(database, publisher, FAST)
    await relay.start()
    try:
        await eventually(lambda: (_age_gauge() or 0) >= 90)
        publisher.down = False
        await eventually(lambda: _age_gauge() == 0)
    finally:
        await relay.stop()
