"""Handling one message: decode, deduplicate, run the handler, then ack or dead-letter.

The ack policy, in one place:
- handled (the handler returned, so its commit happened): ack.
- a duplicate event id: ack without running the handler again.
- undecodable (malformed JSON, schema-invalid, unknown event) or the handler raised DeadLetter:
  publish a dead letter, wait for the broker to have it, then ack. Retrying cannot help.
- any other exception is transient (database down, a timeout): retry in process a few times,
  then leave the message unacked. The broker redelivers it when the session reconnects (paho
  cannot ask for a redelivery sooner); meanwhile it holds a slot of the receive window, which
  slows a consumer whose dependency is down instead of dropping its messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prometheus_client import Counter
from pydantic import BaseModel, ValidationError

from chassis.context import correlation_id, new_correlation_id
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.mqtt.deadletter import DeadLetter, DeadLetterRecord
from chassis.mqtt.dedupe import DedupeStore
from chassis.mqtt.routing import Delivery, Subscription, Undecodable
from chassis.mqtt.settings import MqttSettings
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
        self._received_children: dict[tuple[str, str], Counter] = {}

    async def handle(self, sub: Subscription, message: Inbound) -> None:
        rid = message.correlation_id
        try:
            value = sub.decode(message.payload)
        except Undecodable as exc:
            await self._dead_letter(message, exc.reason, exc.error, rid)
            outcome = "dead_lettered"
        else:
            if rid is None and isinstance(value, Event):
                rid = value.correlation_id
            token = correlation_id.set(rid or new_correlation_id())
            try:
                outcome = await self._run(sub, message, value)
            finally:
                correlation_id.reset(token)
        self._received(sub.topic_filter, outcome).inc()

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
        delay = self.settings.retry_delay
        attempts = self.settings.handler_attempts
        for attempt in range(1, attempts + 1):
            try:
                await sub.call(value, delivery)
                break
            except DeadLetter as exc:
                await self._dead_letter(message, exc.reason, exc.detail, delivery.correlation_id)
                return "dead_lettered"
            except ValidationError as exc:  # the handler's own models refused the data
                await self._dead_letter(message, "rejected", str(exc), delivery.correlation_id)
                return "dead_lettered"
            except Exception:
                if attempt == attempts:
                    _log.exception(
                        "%s failed %d times on %s; left unacked for redelivery",
                        sub.name,
                        attempts,
                        message.topic,
                    )
                    return "failed"
                _log.warning("%s failed on %s, retrying in %.2gs", sub.name, message.topic, delay)
                await asyncio.sleep(delay)
                delay *= 2
        if event_id is not None:
            await self.dedupe.remember(sub.name, event_id)
        self._ack(message)
        return "handled"

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
