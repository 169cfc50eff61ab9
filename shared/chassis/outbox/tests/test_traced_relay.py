"""An event's trace survives the outbox: recorded in a traced transaction, relayed by another
process's relay after a restart, its publish and its consumer still link to that transaction."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from chassis.db import Database, UnitOfWork
from chassis.mqtt import Bus, MqttSettings
from chassis.outbox import OutboxRelay, OutboxSettings
from chassis.testing import BrokerAddress, TraceReceiver
from chassis.tests.messages import JobDone
from chassis.tracing import (
    SpanKind,
    configure_tracing,
    current_traceparent,
    shutdown_tracing,
    tracer,
)
from contracts import Event

DONE = JobDone(job_id=7, done_at=datetime(2026, 1, 1, tzinfo=UTC))


def _record_in_a_traced_transaction(database: Database) -> str:
    with tracer().start_as_current_span("POST /v1/devices/{id}/offline", kind=SpanKind.SERVER):
        with UnitOfWork(database.session, source="devices") as uow:
            uow.record(DONE)
            uow.commit()
        traceparent = current_traceparent()
    assert traceparent is not None
    return traceparent


async def test_an_event_relayed_after_a_restart_links_to_the_transaction_that_recorded_it(
    database: Database,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    trace_receiver: TraceReceiver,
) -> None:
    # The first life of the service: the transaction commits, no relay publishes it.
    configure_tracing(trace_receiver.settings, service="devices")
    recorded = _record_in_a_traced_transaction(database)
    shutdown_tracing()
    _, trace_id, span_id, _ = recorded.split("-")

    # The next life: a new tracer, the relay finds the row; a consumer handles the event.
    configure_tracing(trace_receiver.settings, service="devices")
    handled = asyncio.Event()

    async def on_done(_: Event[JobDone]) -> None:
        handled.set()

    topic = "fleet/events/devices/job.done"
    settings = MqttSettings(url=mqtt_broker.url, client_id=f"{mqtt_client_id}-c", session_expiry=60)
    consumer = Bus(settings, service="tasks", handlers={topic: on_done})
    producer = Bus(settings.model_copy(update={"client_id": f"{mqtt_client_id}-p"}), service="d")
    relay = OutboxRelay(database, producer.publish, OutboxSettings(poll_interval=0.05))
    try:
        for component in (consumer, producer, relay):
            await component.start()
        await asyncio.wait_for(handled.wait(), 10)
    finally:
        for component in (relay, producer, consumer):
            await component.stop()
        shutdown_tracing()

    spans = trace_receiver.wait_for(lambda s: {"producer", "consumer"} <= {x.kind for x in s})
    [publish] = [s for s in spans if s.kind == "producer"]
    [process] = [s for s in spans if s.kind == "consumer"]
    assert (publish.trace_id, publish.parent_id) == (trace_id, span_id)
    assert process.trace_id == trace_id
    assert (trace_id, span_id) in process.links
    assert process.parent_id == publish.span_id
