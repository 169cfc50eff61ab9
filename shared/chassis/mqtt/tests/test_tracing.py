"""Messages carry their trace: a publish span on send, a process span on receive, linked to it."""

from __future__ import annotations

from chassis.mqtt import Bus
from chassis.mqtt.tests.conftest import Inbox, SettingsFactory, running
from chassis.testing import TraceReceiver
from chassis.tests.messages import JobAssigned, Reading
from chassis.tracing import SpanKind, current_traceparent, tracer
from contracts import Event

_READING = b'{"ts": 1717243200, "metrics": {"temp": 1}}'


def _assigned() -> Event[JobAssigned]:
    return Event.of(JobAssigned(job_id=5, assignee_id=6), id=78, source="jobs")


async def _deliver(
    mqtt_settings: SettingsFactory, topic: str, message: bytes | Event[JobAssigned], **mqtt: str
) -> str:
    """Publish `message` inside a span of this test; the traceparent of that span."""
    inbox = Inbox()

    async def on_message(_: Reading | Event[JobAssigned]) -> None:
        inbox.add(current_traceparent())

    consumer = Bus(mqtt_settings(**mqtt), service="tasks", handlers={topic: on_message})
    producer = Bus(mqtt_settings(**mqtt), service="users")
    async with running(consumer), running(producer):
        with tracer().start_as_current_span("assign", kind=SpanKind.SERVER):
            work = current_traceparent()
            await producer.publish(topic, message)
        await inbox.wait_for(1)
    assert work is not None
    return work


def _span_id(traceparent: str) -> str:
    return traceparent.split("-")[2]


async def test_a_publish_is_a_producer_span_of_the_work_that_sent_it(
    mqtt_settings: SettingsFactory, mqtt_namespace: str, traced: TraceReceiver
) -> None:
    topic = f"{mqtt_namespace}/telemetry"
    work = await _deliver(mqtt_settings, topic, _READING)
    spans = traced.wait_for(lambda s: any(x.kind == "producer" for x in s))
    [publish] = [s for s in spans if s.kind == "producer"]
    assert publish.name == f"publish {topic}"
    assert publish.parent_id == _span_id(work)
    assert publish.attributes["messaging.system"] == "mqtt"


async def test_the_handler_runs_in_a_process_span_linked_to_the_publish(
    mqtt_settings: SettingsFactory, mqtt_namespace: str, traced: TraceReceiver
) -> None:
    topic = f"{mqtt_namespace}/telemetry"
    work = await _deliver(mqtt_settings, topic, _READING)
    spans = traced.wait_for(lambda s: {"producer", "consumer"} <= {x.kind for x in s})
    [publish] = [s for s in spans if s.kind == "producer"]
    [process] = [s for s in spans if s.kind == "consumer"]
    assert process.name == f"process {topic}"
    assert process.trace_id == publish.trace_id == work.split("-")[1]
    assert process.parent_id == publish.span_id
    assert process.links == ((publish.trace_id, publish.span_id),)
    assert process.attributes["fleet.outcome"] == "handled"


async def test_an_event_on_an_mqtt_311_connection_keeps_its_trace_in_the_envelope(
    mqtt_settings: SettingsFactory, mqtt_namespace: str, traced: TraceReceiver
) -> None:
    topic = f"{mqtt_namespace}/jobs"
    await _deliver(mqtt_settings, topic, _assigned(), protocol="3.1.1")
    spans = traced.wait_for(lambda s: {"producer", "consumer"} <= {x.kind for x in s})
    [publish] = [s for s in spans if s.kind == "producer"]
    [process] = [s for s in spans if s.kind == "consumer"]
    assert process.parent_id == publish.span_id
    assert process.links == ((publish.trace_id, publish.span_id),)
    assert process.attributes["messaging.message.id"] == "78"


async def test_untraced_work_publishes_without_spans(
    mqtt_settings: SettingsFactory, mqtt_namespace: str, trace_receiver: TraceReceiver
) -> None:
    topic = f"{mqtt_namespace}/telemetry"
    inbox = Inbox()

    async def on_message(_: Reading) -> None:
        inbox.add(current_traceparent())

    consumer = Bus(mqtt_settings(), service="tasks", handlers={topic: on_message})
    producer = Bus(mqtt_settings(), service="users")
    async with running(consumer), running(producer):
        await producer.publish(topic, _READING)
        assert await inbox.wait_for(1) == [None]
