"""A request is a server span named by its route, continuing the caller's trace, with its log
lines carrying the trace; tracing off adds nothing to the stack; the chassis's spans are the only
ones."""

from __future__ import annotations

import json
from collections.abc import Iterator

# The process of the last test imports it: imported here too, so it is packed with this test.
import opentelemetry.sdk.trace.export.in_memory_span_exporter  # noqa: F401
import pytest
from fastapi.testclient import TestClient

from chassis.app.tests.example_service import GreeterSettings, build
from chassis.app.tracing import TracingMiddleware
from chassis.config import LoggingSettings
from chassis.testing import TraceReceiver, run_alone

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def client(trace_receiver: TraceReceiver) -> Iterator[TestClient]:
    with TestClient(build(GreeterSettings(tracing=trace_receiver.settings))) as client:
        yield client


def test_a_request_is_a_server_span_named_by_its_route_template(
    client: TestClient, trace_receiver: TraceReceiver
) -> None:
    response = client.get("/v1/greetings/ada")
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert (span.service, span.name, span.kind) == ("greeter", "GET /v1/greetings/{who}", "server")
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["http.route"] == "/v1/greetings/{who}"
    assert span.attributes["fleet.correlation_id"] == response.headers["x-request-id"]


def test_a_request_continues_the_trace_its_caller_sent(
    client: TestClient, trace_receiver: TraceReceiver
) -> None:
    client.get("/v1/greetings/ada", headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"})
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert (span.trace_id, span.parent_id) == (CALLER_TRACE, CALLER_SPAN)


def test_a_malformed_traceparent_starts_a_new_trace(
    client: TestClient, trace_receiver: TraceReceiver
) -> None:
    response = client.get("/v1/greetings/ada", headers={"traceparent": "00-zz-not-a-trace"})
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert response.status_code == 200
    assert span.parent_id is None


def test_a_domain_error_answer_is_a_span_without_error_and_a_crash_is_one_with(
    client: TestClient, trace_receiver: TraceReceiver
) -> None:
    assert client.get("/v1/greetings/nobody").status_code == 404
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert span.attributes["http.response.status_code"] == 404
    assert not span.error


def test_health_probes_and_metrics_are_not_traced(
    client: TestClient, trace_receiver: TraceReceiver
) -> None:
    client.get("/health/live")
    client.get("/metrics")
    client.get("/v1/greetings/ada")
    spans = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert [s.name for s in spans] == ["GET /v1/greetings/{who}"]


def test_log_lines_carry_the_trace_and_span_of_the_request(
    trace_receiver: TraceReceiver, capfd: pytest.CaptureFixture[str]
) -> None:
    settings = GreeterSettings(
        tracing=trace_receiver.settings, logging=LoggingSettings(format="json")
    )
    with TestClient(build(settings)) as client:
        client.get("/v1/greetings/ada")
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if '"API"' in line]
    [access] = [line for line in lines if "/v1/greetings/ada" in line["msg"]]
    assert (access["trace_id"], access["span_id"]) == (span.trace_id, span.span_id)


def test_untraced_the_app_has_no_tracing_layer() -> None:
    app = build(GreeterSettings())
    layers = [getattr(m.cls, "__name__", "") for m in app.user_middleware]
    assert TracingMiddleware.__name__ not in layers


_GLOBAL_PROVIDER = """
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from chassis.app.tests.example_service import GreeterSettings, build

# What an auto-instrumentation agent, or FastAPI's FASTAPI_OTEL_AUTO_CONFIGURE, would set up.
recorded = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(recorded))
trace.set_tracer_provider(provider)

with TestClient(build(GreeterSettings())) as client:
    status = client.get("/v1/greetings/ada").status_code
print("answer:", status, "spans in the global provider:", len(recorded.get_finished_spans()))
"""


def test_fastapi_records_no_spans_of_its_own_where_a_global_provider_is_set() -> None:
    # A process of its own: the global tracer provider can be set once per process.
    run = run_alone(_GLOBAL_PROVIDER)
    assert run.returncode == 0, run.stderr
    assert "answer: 200 spans in the global provider: 0" in run.stdout, run.stdout
