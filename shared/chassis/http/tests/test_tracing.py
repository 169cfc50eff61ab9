"""A call to another service is a client span that the downstream continues; retries and a
refusing breaker show on it."""

from __future__ import annotations

import pytest

from chassis.http import DownstreamUnavailable
from chassis.http.tests.downstreams import ClientFactory
from chassis.testing import FlakyServer, TraceReceiver
from chassis.tracing import SpanKind, current_traceparent, tracer


async def test_a_call_is_a_client_span_whose_context_the_downstream_receives(
    make_client: ClientFactory, flaky_server: FlakyServer, traced: TraceReceiver
) -> None:
    users = await make_client()
    with tracer().start_as_current_span("request", kind=SpanKind.SERVER):
        work = current_traceparent()
        await users.get("/v1/users/{id}", id=7)
    [call] = traced.wait_for(lambda spans: any(s.kind == "client" for s in spans))[:1]
    assert work is not None
    assert (call.name, call.kind) == ("GET /v1/users/{id}", "client")
    assert call.parent_id == work.split("-")[2]
    assert call.attributes["peer.service"] == users.name
    assert call.attributes["http.response.status_code"] == 200
    [request] = flaky_server.requests
    assert request.headers["traceparent"].split("-")[1:3] == [call.trace_id, call.span_id]


async def test_each_retry_is_an_event_of_the_call(
    make_client: ClientFactory, flaky_server: FlakyServer, traced: TraceReceiver
) -> None:
    flaky_server.fail(503, times=2)
    users = await make_client()
    await users.get("/v1/users/7")
    [call] = traced.wait_for(lambda spans: any(s.kind == "client" for s in spans))
    assert [e.name for e in call.events] == ["retry", "retry"]
    assert call.attributes["http.request.resend_count"] == 2
    assert not call.error


async def test_a_call_the_breaker_refuses_is_an_error_span_saying_so(
    make_client: ClientFactory, flaky_server: FlakyServer, traced: TraceReceiver
) -> None:
    flaky_server.fail(503, times=10)
    users = await make_client(max_attempts=1, breaker_fail_max=1)
    with pytest.raises(DownstreamUnavailable):
        await users.get("/v1/users/7")
    with pytest.raises(DownstreamUnavailable):
        await users.get("/v1/users/7")
    calls = traced.wait_for(lambda spans: sum(s.kind == "client" for s in spans) >= 2)
    refused = calls[-1]
    assert refused.error
    assert refused.attributes["fleet.outcome"] == "rejected"
    assert "circuit breaker open" in [e.name for e in refused.events]
