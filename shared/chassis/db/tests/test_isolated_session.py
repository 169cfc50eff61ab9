"""The per-test session fixture: even committed writes are gone when the test ends."""

import sqlalchemy as sa
from sqlmodel import Session

from chassis.db.tests.conftest import Gauge
from chassis.testing import isolated_session

_metadata = sa.MetaData()
_valves = sa.Table("chassis_test_valve", _metadata, sa.Column("id", sa.Integer, primary_key=True))


def test_isolated_session_undoes_committed_writes(db_engine: sa.Engine) -> None:
    with isolated_session(db_engine, _metadata) as session:
        session.execute(sa.insert(_valves).values(id=1))
        session.commit()
        assert session.execute(sa.select(_valves.c.id)).scalar_one() == 1
    with db_engine.connect() as conn:
        assert not sa.inspect(conn).has_table("chassis_test_valve")


def test_db_session_fixture_sees_its_own_commits(db_session: Session) -> None:
    db_session.add(Gauge(id=9, name="tank"))
    db_session.commit()
    assert db_session.get(Gauge, 9) is not None
