"""Spans leave over OTLP/HTTP, sent with httpx: they reach a receiver that was briefly
unavailable or not yet listening, and a traced process never loads `requests`."""

from __future__ import annotations

import time

from chassis.config import TracingSettings
from chassis.testing import TraceReceiver, run_alone
from chassis.tracing import configure_tracing, shutdown_tracing, tracer


def test_spans_reach_a_receiver_that_answered_503_at_first(traced: TraceReceiver) -> None:
    traced.unavailable(exports=2)
    with tracer().start_as_current_span("work"):
        pass
    [span] = traced.wait_for(lambda spans: len(spans) >= 1)
    assert (span.service, span.name) == ("test", "work")


def test_spans_reach_a_receiver_that_starts_listening_late(free_port: int) -> None:
    endpoint = f"http://127.0.0.1:{free_port}/v1/traces"
    configure_tracing(
        TracingSettings(enabled=True, endpoint=endpoint, export_delay=0.05), "exporter-test"
    )
    with tracer().start_as_current_span("before the receiver"):
        pass
    time.sleep(0.5)  # the first export finds nothing listening: a connection error
    receiver = TraceReceiver(port=free_port)  # listening from here
    receiver.start()
    try:
        [span] = receiver.wait_for(lambda spans: len(spans) >= 1)
    finally:
        shutdown_tracing()
        receiver.stop()
    assert span.name == "before the receiver"


_TRACED = """
import sys
from chassis.config import TracingSettings
from chassis.tracing import configure_tracing, shutdown_tracing, tracer

configure_tracing(TracingSettings(enabled=True, endpoint=sys.argv[1]), service="alone")
with tracer().start_as_current_span("alone"):
    pass
shutdown_tracing()  # exports what is finished
print("requests loaded:", "requests" in sys.modules)
"""


def test_a_traced_process_exports_without_loading_requests(trace_receiver: TraceReceiver) -> None:
    # A process of its own: this test run may have loaded requests. 4.4 MB per service.
    run = run_alone(_TRACED, trace_receiver.url)
    assert run.returncode == 0, run.stderr
    assert "requests loaded: False" in run.stdout, run.stdout
    [span] = trace_receiver.wait_for(lambda spans: len(spans) >= 1)
    assert (span.service, span.name) == ("alone", "alone")
