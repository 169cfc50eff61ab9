"""Consumer-side deduplication: an event id is processed once, with its effect."""

import pytest

from chassis.db import Database, UnitOfWork
from chassis.outbox import ProcessedEvents, process_once
from chassis.outbox.tests.conftest import Alarm


def test_dedupe_claims_an_event_id_once(database: Database) -> None:
    claims = ProcessedEvents("devices.task-completed")
    with database.unit_of_work() as uow:
        assert claims.claim(uow.session, 42)
        uow.commit()
    with database.unit_of_work() as uow:
        assert not claims.claim(uow.session, 42)


def test_each_consumer_claims_the_same_event_for_itself(database: Database) -> None:
    with database.unit_of_work() as uow:
        assert ProcessedEvents("alarms").claim(uow.session, 42)
        assert ProcessedEvents("audit").claim(uow.session, 42)


async def test_processed_once_even_when_delivered_twice(database: Database) -> None:
    claims = ProcessedEvents("alarms")

    def raise_alarm(uow: UnitOfWork) -> None:
        uow.session.add(Alarm(id=7, device="pump-7"))

    assert await process_once(database, claims, 7001, raise_alarm)
    assert not await process_once(database, claims, 7001, raise_alarm)


async def test_claim_is_undone_when_the_handler_fails(database: Database) -> None:
    claims = ProcessedEvents("alarms")

    def fail(uow: UnitOfWork) -> None:
        raise RuntimeError("handler crashed")

    with pytest.raises(RuntimeError):
        await process_once(database, claims, 7002, fail)
    assert await process_once(database, claims, 7002, lambda uow: None)
