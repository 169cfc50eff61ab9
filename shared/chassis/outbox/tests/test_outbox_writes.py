"""Events are written by the unit of work in the same transaction as the change."""

import sqlalchemy as sa
from pydantic import BaseModel

from chassis.db import Database, SnowflakeId, next_id
from chassis.outbox import outbox_table
from chassis.outbox.tests.conftest import Alarm


class AlarmRaised(BaseModel):
    id: SnowflakeId
    device: str


def _outbox(database: Database) -> list[tuple[int, str, bytes]]:
    query = sa.select(outbox_table.c.id, outbox_table.c.topic, outbox_table.c.payload)
    with database.engine.connect() as conn:
        return [(row.id, row.topic, bytes(row.payload)) for row in conn.execute(query)]


def test_event_row_commits_with_the_change(database: Database) -> None:
    event = AlarmRaised(id=next_id(), device="pump-7")
    with database.unit_of_work() as uow:
        uow.session.add(Alarm(id=1, device="pump-7"))
        uow.emit("fleet/events/devices/alarm.raised", event)
        uow.commit()
    with database.session() as session:
        assert session.get(Alarm, 1) is not None
    [(row_id, topic, payload)] = _outbox(database)
    assert (row_id, topic) == (event.id, "fleet/events/devices/alarm.raised")
    assert AlarmRaised.model_validate_json(payload) == event


def test_event_is_absent_after_rollback(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Alarm(id=1, device="pump-7"))
        uow.emit("fleet/events/devices/alarm.raised", b"{}")
        uow.session.flush()
    assert _outbox(database) == []


def test_event_is_not_written_when_the_change_fails_to_commit(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Alarm(id=1, device="pump-7"))
        uow.commit()
    try:
        with database.unit_of_work() as uow:
            uow.session.add(Alarm(id=1, device="duplicate"))
            uow.emit("fleet/events/devices/alarm.raised", b"{}")
            uow.commit()
    except sa.exc.IntegrityError:
        pass
    assert _outbox(database) == []
