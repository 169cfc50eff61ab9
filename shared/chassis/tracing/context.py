"""Trace context on the wire: W3C `traceparent`, read and written the same way everywhere.

Only the W3C format, whatever OpenTelemetry's global propagator is set to: the headers, MQTT
user properties and event envelopes of every service must agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from chassis.tracing.provider import tracer

TRACEPARENT = "traceparent"
_w3c = TraceContextTextMapPropagator()


def current_traceparent() -> str | None:
    """The `traceparent` of the span in progress, or None when nothing is being recorded."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    carrier: dict[str, str] = {}
    _w3c.inject(carrier)
    return carrier.get(TRACEPARENT)


def inject_traceparent(headers: MutableMapping[str, str]) -> None:
    """Add the span in progress to outgoing `headers` (nothing when none is)."""
    _w3c.inject(headers)


def context_of(traceparent: str | None) -> Context | None:
    """The remote context a `traceparent` names; None when it is absent or malformed."""
    if not traceparent:
        return None
    context = _w3c.extract({TRACEPARENT: traceparent})
    return context if trace.get_current_span(context).get_span_context().is_valid else None


def trace_ids() -> tuple[str, str] | None:
    """The trace and span id (hex) of the span in progress, for log lines."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return trace.format_trace_id(span_context.trace_id), trace.format_span_id(span_context.span_id)


@contextmanager
def continued(
    traceparent: str | None, name: str, attributes: Mapping[str, str | int] | None = None
) -> Iterator[None]:
    """Work done later on behalf of earlier work (a background loop following up a message):
    an internal span in the trace `traceparent` names, current while the block runs."""
    with tracer().start_as_current_span(
        name, context=context_of(traceparent), attributes=attributes
    ):
        yield


def link_to(traceparent: str | None) -> None:
    """Link the span in progress to the one `traceparent` names (work this work concludes)."""
    if (context := context_of(traceparent)) is not None:
        span_context = trace.get_current_span(context).get_span_context()
        trace.get_current_span().add_link(span_context)
