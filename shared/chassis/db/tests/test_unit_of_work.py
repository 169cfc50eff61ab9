"""The unit of work: nothing is kept unless committed."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from chassis.db import Database, UnitOfWork
from chassis.db.tests.conftest import Gauge
from chassis.testing import run_alone


def _names(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.exec(select(Gauge.name)))


def test_rolls_back_uncommitted_work_by_default(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Gauge(id=1, name="inlet"))
        uow.session.flush()
    assert _names(database) == []


def test_commit_persists_work(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Gauge(id=1, name="inlet"))
        uow.commit()
    assert _names(database) == ["inlet"]


def _add_then_fail(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Gauge(id=1, name="inlet"))
        uow.session.flush()
        raise ZeroDivisionError


def test_rolls_back_when_the_work_raises(database: Database) -> None:
    with pytest.raises(ZeroDivisionError):
        _add_then_fail(database)
    assert _names(database) == []


async def test_transaction_commits_work_run_in_a_thread(database: Database) -> None:
    gauge_id = await database.transaction(
        lambda uow: uow.session.merge(Gauge(id=2, name="outlet")).id
    )
    assert gauge_id == 2
    assert _names(database) == ["outlet"]


def test_what_a_read_only_unit_of_work_loaded_stays_readable(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Gauge(id=3, name="tank"))
        uow.commit()
    with database.unit_of_work() as uow:
        gauge = uow.session.get(Gauge, 3)
    assert gauge is not None
    assert gauge.name == "tank"


async def test_a_read_sees_what_was_committed(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Gauge(id=4, name="valve"))
        uow.commit()
    found = await database.read(lambda uow: uow.session.get(Gauge, 4))
    assert found is not None
    assert found.name == "valve"


async def test_each_statement_of_a_read_is_its_own_transaction(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("transaction start times are PostgreSQL's now()")

    def two_clocks(uow: UnitOfWork) -> list[object]:
        query = sa.text("SELECT now(), pg_sleep(0.01)")
        return [uow.session.execute(query).scalar() for _ in range(2)]

    first, second = await database.read(two_clocks)
    assert first != second  # inside one transaction, now() would not move


# A fresh interpreter: this test process has imported chassis.outbox, which registers itself.
_EMIT_WITHOUT_AN_EVENT_STORE = """
import sqlalchemy as sa
from sqlmodel import Session
from chassis.db import UnitOfWork
engine = sa.create_engine("sqlite://")
with UnitOfWork(lambda: Session(engine)) as uow:
    uow.emit("fleet/events/test/gauge.added", b"{}")
    uow.commit()
"""


def test_refuses_to_commit_events_when_no_event_store_is_registered() -> None:
    done = run_alone(_EMIT_WITHOUT_AN_EVENT_STORE)
    assert done.returncode == 1
    assert "NoEventStore: events were emitted but no event store is registered" in done.stderr
    assert "import chassis.outbox" in done.stderr
