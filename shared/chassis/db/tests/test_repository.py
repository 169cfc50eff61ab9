"""The repository base: generic persistence and keyset pages."""

import pytest
from sqlmodel import select

from chassis.db import Database, InvalidCursor, Repository
from chassis.db.tests.conftest import Gauge


class GaugeRepository(Repository[Gauge]):
    model = Gauge


def test_pages_follow_the_cursor_to_the_end(database: Database) -> None:
    with database.unit_of_work() as uow:
        gauges = GaugeRepository(uow.session)
        for id in range(1, 6):
            gauges.stage(Gauge(id=id, name=f"g{id}"))
        uow.session.flush()
        first = gauges.page_of(select(Gauge), limit=2, cursor=None)
        second = gauges.page_of(select(Gauge), limit=2, cursor=first.next_cursor)
        last = gauges.page_of(select(Gauge), limit=2, cursor=second.next_cursor)
        assert [[g.id for g in p.items] for p in (first, second, last)] == [[1, 2], [3, 4], [5]]
        assert last.next_cursor is None


@pytest.mark.parametrize("cursor", ["abc", "²", "1" * 20])
def test_a_cursor_we_never_issued_is_refused(database: Database, cursor: str) -> None:
    with database.unit_of_work() as uow, pytest.raises(InvalidCursor):
        GaugeRepository(uow.session).page_of(select(Gauge), limit=2, cursor=cursor)


def test_a_cursor_past_the_largest_id_pages_to_nothing(database: Database) -> None:
    # 19 digits is a cursor's shape, but ids stop at 2**63-1: past it the page is empty
    # (the database would refuse the number as a bigint parameter).
    with database.unit_of_work() as uow:
        gauges = GaugeRepository(uow.session)
        gauges.stage(Gauge(id=2**63 - 1, name="last"))
        uow.session.flush()
        page = gauges.page_of(select(Gauge), limit=2, cursor="9" * 19)
        assert (page.items, page.next_cursor) == ([], None)
