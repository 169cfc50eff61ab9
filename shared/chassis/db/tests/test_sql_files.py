"""SQL files: loaded once at start, by name; a missing one stops the start."""

import pytest

from chassis.db import Database, Repository, SqlFiles
from chassis.db.tests.conftest import Gauge


class GaugeRepository(Repository[Gauge]):
    model = Gauge


async def test_sql_files_load_by_name_and_run(database: Database) -> None:
    queries = SqlFiles("chassis.db.tests", "queries", names=["gauges_named"])
    await queries.start()
    with database.unit_of_work() as uow:
        gauges = GaugeRepository(uow.session)
        for id, name in [(1, "inlet-a"), (2, "outlet"), (3, "inlet-b")]:
            gauges.stage(Gauge(id=id, name=name))
        uow.session.flush()
        rows = gauges.rows(queries["gauges_named"], {"prefix": "inlet"})
    assert [row["name"] for row in rows] == ["inlet-a", "inlet-b"]


async def test_missing_sql_file_fails_at_start() -> None:
    queries = SqlFiles("chassis.db.tests", "queries", names=["gauges_named", "no_such_query"])
    with pytest.raises(FileNotFoundError, match=r"no_such_query\.sql"):
        await queries.start()
