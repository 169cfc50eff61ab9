"""Traces: OpenTelemetry spans for requests, calls, queries and messages, off unless configured.

`create_app` configures the process's tracer from `settings.tracing`; the chassis then records a
server span per request (`chassis.app.tracing`), a client span per call to another service
(`chassis.http`), database spans (SQLAlchemy's instrumentation on the service's engine), and MQTT
publish and process spans (`chassis.mqtt`), the process span linked to the producer's context.
The context travels as W3C `traceparent`: HTTP headers, MQTT 5 user properties, and the event
envelope (so MQTT 3.1.1 brokers and the outbox keep it). Log lines carry the trace and span ids.

Off (the default), none of it runs: no middleware, no SDK imported, nothing per message.

>>> with tracer().start_as_current_span("reconcile", kind=SpanKind.INTERNAL): ...
"""

from opentelemetry.trace import SpanKind

from chassis.tracing.context import (
    TRACEPARENT,
    context_of,
    continued,
    current_traceparent,
    inject_traceparent,
    link_to,
    trace_ids,
)
from chassis.tracing.provider import (
    FASTAPI_TELEMETRY_OFF,
    configure_tracing,
    shutdown_tracing,
    trace_database,
    tracer,
    tracing_enabled,
)

__all__ = [
    "FASTAPI_TELEMETRY_OFF",
    "TRACEPARENT",
    "SpanKind",
    "configure_tracing",
    "context_of",
    "continued",
    "current_traceparent",
    "inject_traceparent",
    "link_to",
    "shutdown_tracing",
    "trace_database",
    "trace_ids",
    "tracer",
    "tracing_enabled",
]
