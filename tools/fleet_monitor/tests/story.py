"""The alarm story's spans as three services export them: the OpenTelemetry SDK's own
OTLPSpanExporter, over HTTP, to whatever receiver `endpoint` names.

Two traces, shaped as the chassis records them (docs/observability.md, "Traces"): a reading
raises an alarm and devices asks tasks to open a task (one attempt answered 503: an error span);
an operator completes the task, the transaction records an event, the outbox relays it in that
trace, and devices processes it (the publish's child, linked to the publish and to the recording
transaction) and resolves the alarm, linking back to the reading's trace.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, SpanKind, StatusCode

SERVICES = ("devices", "tasks", "users")


@dataclass(frozen=True)
class Story:
    alarm: str  # trace ids, hex
    completion: str
    reading_span: str  # the span that raised the alarm, in `alarm`


@contextmanager
def _tracers(endpoint: str) -> Iterator[dict[str, trace.Tracer]]:
    providers = {name: TracerProvider(resource=Resource({SERVICE_NAME: name})) for name in SERVICES}
    for provider in providers.values():
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    try:
        yield {name: p.get_tracer("story") for name, p in providers.items()}
    finally:
        for provider in providers.values():
            provider.force_flush()
            provider.shutdown()


def _work(ms: float) -> None:
    time.sleep(ms / 1000)


def export_alarm_story(endpoint: str) -> Story:
    with _tracers(endpoint) as t:
        devices, tasks, users = t["devices"], t["tasks"], t["users"]
        with devices.start_as_current_span(
            "process fleet/devices/+/telemetry", kind=SpanKind.CONSUMER
        ) as reading:
            _work(2)
            with devices.start_as_current_span("POST /v1/tasks", kind=SpanKind.CLIENT) as refused:
                _work(3)
                refused.set_status(StatusCode.ERROR, "503 Service Unavailable")
            with devices.start_as_current_span("POST /v1/tasks", kind=SpanKind.CLIENT) as call:
                call.add_event("retry", {"attempt": 2})
                with (
                    tasks.start_as_current_span("POST /v1/tasks", kind=SpanKind.SERVER),
                    tasks.start_as_current_span("INSERT tasks", kind=SpanKind.CLIENT),
                ):
                    _work(4)
        with tasks.start_as_current_span(
            "POST /v1/tasks/{task_id}/complete", kind=SpanKind.SERVER
        ) as completion:
            with users.start_as_current_span("GET /v1/users/{user_id}", kind=SpanKind.SERVER):
                _work(2)
            with tasks.start_as_current_span("UPDATE tasks", kind=SpanKind.CLIENT) as recorded:
                _work(3)
            with tasks.start_as_current_span(
                "publish fleet/events/tasks/task.completed",
                context=trace.set_span_in_context(recorded),  # the relay, in that trace
                kind=SpanKind.PRODUCER,
            ) as publish:
                _work(2)
        links = [recorded, publish, reading]
        with (
            devices.start_as_current_span(
                "process fleet/events/tasks/+",
                context=trace.set_span_in_context(publish),
                kind=SpanKind.CONSUMER,
                links=[Link(span.get_span_context()) for span in links],
            ),
            devices.start_as_current_span("UPDATE alarms", kind=SpanKind.CLIENT),
        ):
            _work(3)
    return Story(
        alarm=_hex(reading.get_span_context().trace_id, 32),
        completion=_hex(completion.get_span_context().trace_id, 32),
        reading_span=_hex(reading.get_span_context().span_id, 16),
    )


def _hex(value: int, digits: int) -> str:
    return f"{value:0{digits}x}"
