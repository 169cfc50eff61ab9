"""Handling one message: decode, deduplicate, run the handler, then ack or dead-letter.

The ack policy, in one place:
- handled (the handler returned, so its commit happened): ack.
- a duplicate event id: ack without running the handler again.
- undecodable (malformed JSON, schema-invalid, unknown event) or the handler raised DeadLetter:
  publish a dead letter, wait for the broker to have it, then ack. Retrying cannot help.
- a transient failure (a dependency is unavailable: database down, pool exhausted, a neighbour
  or the broker unreachable): the subscription pauses. The message stays unacked and is tried
  again with capped exponential backoff until the dependency is back, however long that takes;
  readiness says why meanwhile. The messages behind it wait in the broker (flow control), so
  nothing is lost and nothing waits for a restart. A stop leaves it unacked for redelivery.
- any other exception (the handler is wrong about this message): tried `handler_attempts`
  times, then dead-lettered as `handler_failed`, so one message never blocks the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opentelemetry.trace import Link as SpanLink
from opentelemetry.trace import StatusCode
from opentelemetry.trace import get_current_span as span_of
from prometheus_client import Counter
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, wait_exponential_jitter

from chassis.context import correlation_id, new_correlation_id
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.mqtt.deadletter import DeadLetter, DeadLetterRecord
from chassis.mqtt.dedupe import DedupeStore
from chassis.mqtt.pauses import Pauses, is_transient
from chassis.mqtt.routing import Delivery, Subscription, Undecodable
from chassis.mqtt.settings import MqttSettings
from chassis.tracing import SpanKind, context_of, tracer, tracing_enabled
from contracts import Event

if TYPE_CHECKING:
    from chassis.mqtt.bridge import Link

_log = tagged_logger("MQTT")


@dataclass(frozen=True)
class Inbound:
    """A received message, as the loop thread sees it."""

    mid: int
    qos: int
    topic: str
    payload: bytes
    redelivered: bool
    retained: bool
    correlation_id: str | None  # from the MQTT 5 user property, when there is one
    traceparent: str | None  # the publisher's span, likewise
    link: Link  # acks belong to the link and the connection that delivered the message
    connection: int


class Consumer:
    """Runs handlers with the ack policy above; the bus gives it a publisher and an acker."""

    def __init__(
        self,
        *,
        service: str,
        settings: MqttSettings,
        dlq_topic: str,
        dedupe: DedupeStore,
        publish: Callable[[str, BaseModel], Awaitable[None]],
        ack: Callable[[Inbound], None],
    ) -> None:
        self.service, self.settings, self.dlq_topic = service, settings, dlq_topic
        self.dedupe, self._publish, self._ack = dedupe, publish, ack
        self.metrics = fleet_metrics()
        self.pauses = Pauses()
        self._received_children: dict[tuple[str, str], Counter] = {}

    async def handle(self, sub: Subscription, message: Inbound) -> None:
        try:
            value = sub.decode(message.payload)
        except Undecodable as exc:
            await self._dead_letter(message, exc.reason, exc.error, message.correlation_id)
            outcome = "dead_lettered"
        else:
            rid = message.correlation_id
            if rid is None and isinstance(value, Event):
                rid = value.correlation_id
            token = correlation_id.set(rid or new_correlation_id())
            try:
                if tracing_enabled():
                    outcome = await self._run_traced(sub, message, value)
                else:
                    outcome = await self._run(sub, message, value)
            finally:
                correlation_id.reset(token)
        self._received(sub.topic_filter, outcome).inc()

    async def _run_traced(self, sub: Subscription, message: Inbound, value: Any) -> str:
        """`_run` in a process span: the child of the publish that sent the message, linked to
        it and to the transaction that recorded the event (the envelope's context)."""
        recorded = value.traceparent if isinstance(value, Event) else None
        distinct = dict.fromkeys((message.traceparent, recorded))  # a live event's are one
        contexts = [c for c in map(context_of, distinct) if c is not None]
        links = [SpanLink(span_of(c).get_span_context()) for c in contexts]
        attributes: dict[str, str] = {
            "messaging.system": "mqtt",
            "messaging.operation.type": "process",
            "messaging.destination.name": message.topic,
            "messaging.destination.template": sub.topic_filter,
            "fleet.correlation_id": correlation_id.get() or "",
        }
        if isinstance(value, Event):
            attributes["messaging.message.id"] = str(value.id)
        with tracer().start_as_current_span(
            f"process {sub.topic_filter}",
            context=contexts[0] if contexts else None,
            kind=SpanKind.CONSUMER,
            links=links,
            attributes=attributes,
        ) as span:
            outcome = await self._run(sub, message, value)
            span.set_attribute("fleet.outcome", outcome)
            if outcome == "dead_lettered":
                span.set_status(StatusCode.ERROR, outcome)
            return outcome

    def _received(self, topic_filter: str, outcome: str) -> Counter:
        # Label children cached: `.labels()` costs more than the increment, once per message.
        key = (topic_filter, outcome)
        child = self._received_children.get(key)
        if child is None:
            child = self._received_children[key] = self.metrics.mqtt_received.labels(*key)
        return child

    async def _run(self, sub: Subscription, message: Inbound, value: Any) -> str:
        event_id = value.id if isinstance(value, Event) else None
        if event_id is not None and await self.dedupe.seen(sub.name, event_id):
            _log.debug("event %s already handled by %s", event_id, sub.name)
            self._ack(message)
            return "duplicate"
        delivery = Delivery(
            topic=message.topic,
            correlation_id=correlation_id.get() or "",
            redelivered=message.redelivered,
            retained=message.retained,
            payload=message.payload,
        )
        try:
            await self._call(sub, value, delivery)
        except DeadLetter as exc:
            await self._dead_letter(message, exc.reason, exc.detail, delivery.correlation_id)
            return "dead_lettered"
        except ValidationError as exc:  # the handler's own models refused the data
            await self._dead_letter(message, "rejected", str(exc), delivery.correlation_id)
            return "dead_lettered"
        except Exception as exc:  # not transient, and failed every attempt
            attempts = self.settings.handler_attempts
            _log.exception("%s failed %d times on %s", sub.name, attempts, message.topic)
            await self._dead_letter(message, "handler_failed", repr(exc), delivery.correlation_id)
            return "dead_lettered"
        if event_id is not None:
            await self.dedupe.remember(sub.name, event_id)
        self._ack(message)
        return "handled"

    async def _call(self, sub: Subscription, value: Any, delivery: Delivery) -> None:
        try:
            await sub.call(value, delivery)  # most messages: no retry machinery on the hot path
        except (DeadLetter, ValidationError):
            raise
        except Exception as exc:
            await self._again(sub, value, delivery, exc)

    async def _again(
        self, sub: Subscription, value: Any, delivery: Delivery, failure: Exception
    ) -> None:
        """Retry after `failure`: transient ones until they pass (paused), others a few times."""
        settings, paused, failures = self.settings, False, 0

        def counts(error: BaseException) -> bool:
            """Whether to try again after `error`; pauses on a transient one."""
            nonlocal paused, failures
            if not isinstance(error, Exception) or isinstance(error, DeadLetter | ValidationError):
                return False  # cancelled (the bus stops), or final
            if is_transient(error):
                if not paused:
                    self.pauses.enter(sub.name, error)
                    paused = True
                return True
            failures += 1
            return failures < settings.handler_attempts

        def again(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome else None
            return error is not None and counts(error)

        if not counts(failure):
            raise failure
        if not paused:
            _log.warning("%s failed on %s, retrying: %r", sub.name, delivery.topic, failure)
        retrying = AsyncRetrying(
            retry=again,
            wait=wait_exponential_jitter(
                multiplier=settings.retry_delay,
                max=settings.retry_max_delay,
                jitter=settings.retry_delay,
            ),
            reraise=True,
        )
        try:
            await asyncio.sleep(settings.retry_delay)
            async for attempt in retrying:
                with attempt:
                    await sub.call(value, delivery)
        finally:
            if paused:
                self.pauses.leave(sub.name)

    async def _dead_letter(
        self, message: Inbound, reason: str, error: str, rid: str | None
    ) -> None:
        record = DeadLetterRecord.of(
            service=self.service,
            reason=reason,
            error=error,
            topic=message.topic,
            payload=message.payload,
            correlation_id=rid,
        )
        # Ack only once the broker holds the dead letter: the message is never in neither place.
        await self._publish(self.dlq_topic, record)
        self.metrics.mqtt_dead_lettered.labels(reason).inc()
        _log.warning("dead-lettered a message from %s (%s): %s", message.topic, reason, error)
        self._ack(message)
