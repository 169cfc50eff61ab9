"""The process's tracer: the OpenTelemetry SDK exporting over OTLP/HTTP when tracing is on.

One provider per process (a service is one process), held here rather than in OpenTelemetry's
global, which can be set only once: tests and tools build several apps in one process, each
configuring it from its settings. The SDK and the exporter are imported only when tracing is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.context import Context

from chassis.config import TracingSettings

if TYPE_CHECKING:
    import sqlalchemy as sa
    from fastapi.telemetry import TelemetryConfig
    from opentelemetry.sdk.trace import TracerProvider

_SCOPE = "fleet.chassis"

# For every FastAPI app the chassis makes: FastAPI's own OpenTelemetry off. The chassis traces
# and measures each request itself; FastAPI's would add a span, metrics and logs of its own
# wherever something set the global providers (an agent, FASTAPI_OTEL_AUTO_CONFIGURE).
FASTAPI_TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


@dataclass(frozen=True)
class _Tracing:
    tracer: trace.Tracer
    provider: TracerProvider | None = None


_off = _Tracing(trace.NoOpTracer())
_current = _off


def configure_tracing(settings: TracingSettings, service: str) -> None:
    """Trace this process as `service` per `settings` (off: the no-op tracer)."""
    global _current
    shutdown_tracing()
    if not settings.enabled:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    from chassis.tracing.transport import HttpxTransport

    provider = TracerProvider(
        sampler=ParentBased(TraceIdRatioBased(settings.sampling_ratio)),
        resource=Resource.create({SERVICE_NAME: service}),
        shutdown_on_exit=False,  # shutdown_tracing flushes at the app's stop
    )
    exporter = OTLPSpanExporter(
        endpoint=settings.endpoint,
        headers=settings.headers,
        timeout=5,
        _transport=HttpxTransport(),  # not `requests` (4.4 MB): see chassis.tracing.transport
    )
    delay = settings.export_delay * 1000
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=delay))
    _current = _Tracing(provider.get_tracer(_SCOPE), provider)


def shutdown_tracing() -> None:
    """Export what is finished and stop tracing (the app's stop; a new configuration)."""
    global _current
    stopping, _current = _current, _off
    if stopping.provider is not None:
        stopping.provider.shutdown()


def tracer() -> trace.Tracer:
    return _current.tracer


def tracing_enabled() -> bool:
    return _current.provider is not None


def trace_database(engine: sa.Engine) -> None:
    """Record a span per statement `engine` runs, with OpenTelemetry's SQLAlchemy tracer.

    Its `EngineTracer` on this one engine: the instrumentor around it patches SQLAlchemy's
    `create_engine` and `Engine.connect` for the whole process, and only once per process.
    """
    if _current.provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import NoOpMeterProvider

    # Its pool gauge is an OpenTelemetry metric; the chassis's metrics are Prometheus'.
    pool = NoOpMeterProvider().get_meter(_SCOPE).create_up_down_counter("db.client.connections")
    tracer = _WithinTraces(_current.provider.get_tracer(_SCOPE))
    EngineTracer(tracer, engine, pool)  # type: ignore[no-untyped-call]


class _WithinTraces:
    """Spans only inside a recorded one: a statement no request or message asked for (a
    readiness ping, a relay's claim every few milliseconds) would be a trace of its own.
    (`EngineTracer` only starts spans with `start_span`.)"""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer

    def start_span(
        self, name: str, context: Context | None = None, *args: Any, **kwargs: Any
    ) -> trace.Span:
        if not trace.get_current_span(context).is_recording():
            return trace.INVALID_SPAN
        return self._tracer.start_span(name, context, *args, **kwargs)
