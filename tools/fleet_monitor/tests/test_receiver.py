"""The monitor's OTLP/HTTP receiver, as the OpenTelemetry SDK's exporter and scripts meet it."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from chassis.testing.fuzz import served
from fleet_monitor.receiver import traces_router
from fleet_monitor.tests.story import export_alarm_story
from fleet_monitor.traces import TraceStore

PROTOBUF = {"Content-Type": "application/x-protobuf"}


@pytest.fixture
def monitor() -> Iterator[str]:
    """The receiver the monitor mounts, under uvicorn on a free port; yields its base URL."""
    app = FastAPI()
    app.include_router(traces_router(TraceStore()))
    with served(app) as base_url:
        yield base_url


def _export(trace_id: bytes, service: str = "tasks") -> bytes:
    request = ExportTraceServiceRequest()
    spans = request.resource_spans.add()
    spans.resource.attributes.add(key="service.name").value.string_value = service
    span = spans.scope_spans.add().spans.add(name="GET /v1/tasks/{task_id}")
    span.trace_id, span.span_id = trace_id, b"\x01" * 8
    span.start_time_unix_nano, span.end_time_unix_nano = 1_000_000, 3_000_000
    body: bytes = request.SerializeToString()
    return body


def test_the_sdk_exporter_delivers_the_alarm_story_as_connected_traces(monitor: str) -> None:
    story = export_alarm_story(f"{monitor}/v1/traces")
    listed = httpx.get(f"{monitor}/traces.json").json()
    traces = {t["trace_id"]: t for t in listed["traces"]}
    assert set(traces) == {story.alarm, story.completion}
    alarm = traces[story.alarm]
    assert alarm["root"] == "process fleet/devices/+/telemetry"
    assert alarm["services"] == ["devices", "tasks"]
    assert (alarm["span_count"], alarm["error"]) == (5, True)
    assert traces[story.completion]["services"] == ["tasks", "users", "devices"]
    assert listed["kept"]["spans"] == 11
    completion = httpx.get(f"{monitor}/traces/{story.completion}.json").json()["spans"]
    process = next(s for s in completion if s["name"] == "process fleet/events/tasks/+")
    assert [story.alarm, story.reading_span] in process["links"]


def test_an_accepted_export_is_answered_with_an_empty_protobuf_body(monitor: str) -> None:
    answer = httpx.post(f"{monitor}/v1/traces", content=_export(b"\x0a" * 16), headers=PROTOBUF)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-protobuf"
    assert answer.content == b""


def test_a_gzip_compressed_export_is_read(monitor: str) -> None:
    body = gzip.compress(_export(b"\x0b" * 16))
    headers = {**PROTOBUF, "Content-Encoding": "gzip"}
    assert httpx.post(f"{monitor}/v1/traces", content=body, headers=headers).status_code == 200
    (trace,) = httpx.get(f"{monitor}/traces.json").json()["traces"]
    assert trace["trace_id"] == "0b" * 16


def test_a_body_that_is_no_export_is_a_400_problem_saying_so(monitor: str) -> None:
    answer = httpx.post(f"{monitor}/v1/traces", content=b"not protobuf", headers=PROTOBUF)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert "not an OTLP trace export" in answer.json()["detail"]


def test_otlp_json_is_refused_with_415_naming_the_encoding_to_send(monitor: str) -> None:
    answer = httpx.post(f"{monitor}/v1/traces", json={"resourceSpans": []})
    assert answer.status_code == 415
    assert "application/x-protobuf" in answer.json()["detail"]


def test_a_trace_not_kept_is_a_404_problem(monitor: str) -> None:
    answer = httpx.get(f"{monitor}/traces/{'0' * 32}.json")
    assert answer.status_code == 404
    assert answer.json()["title"] == "Not Found"
