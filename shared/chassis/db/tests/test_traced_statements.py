"""With tracing on, the statements a traced piece of work runs are spans inside its trace;
statements no traced work asked for (a readiness ping) record nothing."""

from __future__ import annotations

import sqlalchemy as sa

from chassis.db import Database, UnitOfWork
from chassis.testing import TraceReceiver
from chassis.tracing import SpanKind, tracer


def _select_one(uow: UnitOfWork) -> int:
    return int(uow.session.execute(sa.text("SELECT 1")).scalar_one())


async def test_a_statement_of_traced_work_is_a_client_span_inside_it(
    traced: TraceReceiver, database: Database
) -> None:
    with tracer().start_as_current_span("GET /v1/gauges", kind=SpanKind.SERVER) as request:
        await database.transaction(_select_one)  # in a worker thread: the context goes along
    spans = traced.wait_for(lambda s: any(x.kind == "client" for x in s))
    [statement] = [s for s in spans if s.kind == "client"]
    assert statement.parent_id == format(request.get_span_context().span_id, "016x")
    assert statement.name.startswith("SELECT")


async def test_a_statement_outside_traced_work_records_no_span(
    traced: TraceReceiver, database: Database
) -> None:
    await database.transaction(_select_one)
    with tracer().start_as_current_span("GET /v1/gauges", kind=SpanKind.SERVER):
        pass
    spans = traced.wait_for(lambda s: any(x.kind == "server" for x in s))
    assert [s.kind for s in spans] == ["server"]
