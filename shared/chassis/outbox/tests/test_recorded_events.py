"""`uow.record(data)`: the envelope is stamped once, by the chassis, before the outbox stores it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from chassis.context import correlation_id
from chassis.db import Database, Transactions, UnitOfWork
from chassis.outbox import outbox_table
from chassis.outbox.tests.conftest import Alarm
from chassis.tests.messages import JobDone
from contracts import Event

DONE = JobDone(job_id=7, done_at=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def work_of_a_message() -> Iterator[str]:
    """The correlation id the MQTT consumer (or the HTTP middleware) set for this work."""
    token = correlation_id.set("reading-7f3a")
    yield "reading-7f3a"
    correlation_id.reset(token)


def _stored(database: Database) -> list[tuple[int, str, Event[JobDone]]]:
    query = sa.select(outbox_table.c.id, outbox_table.c.topic, outbox_table.c.payload)
    with database.engine.connect() as conn:
        rows = conn.execute(query.order_by(outbox_table.c.id)).all()
    return [(r.id, r.topic, Event[JobDone].model_validate_json(bytes(r.payload))) for r in rows]


def test_a_recorded_event_is_stamped_with_an_id_its_source_the_time_and_the_work_s_correlation_id(
    database: Database, work_of_a_message: str
) -> None:
    before = datetime.now(UTC)
    with UnitOfWork(database.session, source="devices") as uow:
        recorded = uow.record(DONE)
        uow.commit()
    [(row_id, topic, event)] = _stored(database)
    assert event == recorded
    assert topic == "fleet/events/devices/job.done"
    assert event.id == row_id  # consumers deduplicate by it
    assert (event.type, event.source, event.data) == ("job.done", "devices", DONE)
    assert before <= event.occurred_at <= datetime.now(UTC)
    assert event.correlation_id == work_of_a_message


def test_a_correlation_id_given_to_record_is_kept_over_the_work_s(
    database: Database, work_of_a_message: str
) -> None:
    with UnitOfWork(database.session, source="devices") as uow:
        uow.record(DONE, correlation_id="the-reading-that-raised-it")
        uow.commit()
    [(_, _, event)] = _stored(database)
    assert event.correlation_id == "the-reading-that-raised-it"


def test_recorded_events_go_under_the_topic_prefix(database: Database) -> None:
    with UnitOfWork(database.session, source="devices", topic_prefix="test-91/") as uow:
        uow.record(DONE)
        uow.commit()
    [(_, topic, _)] = _stored(database)
    assert topic == "test-91/fleet/events/devices/job.done"


def test_a_recorded_event_is_not_stored_when_its_change_rolls_back(database: Database) -> None:
    with UnitOfWork(database.session, source="devices") as uow:
        uow.session.add(Alarm(id=1, device="pump-7"))
        uow.record(DONE)
        uow.session.flush()
    assert _stored(database) == []


def test_a_unit_of_work_without_a_source_refuses_to_record(database: Database) -> None:
    with database.unit_of_work() as uow, pytest.raises(RuntimeError, match="source"):
        uow.record(DONE)


class _Taken(Exception):
    """What the service calls a unique row another request wrote first."""


async def test_transactions_hand_the_bound_work_one_transaction_and_name_a_conflict(
    database: Database,
) -> None:
    tx = Transactions(database, lambda uow: uow.session, conflict=_Taken)
    assert await tx(lambda session: session.merge(Alarm(id=5, device="pump-7")).id) == 5
    assert await tx.read(lambda session: session.get(Alarm, 5)) is not None
    with pytest.raises(_Taken):
        await tx(lambda session: session.add(Alarm(id=5, device="pump-8")))
