"""The Bus component: subscriptions with typed handlers, acks after success, awaited publishes."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from paho.mqtt.client import MQTTMessage
from pydantic import BaseModel

from chassis.lifecycle import Component, Health
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.mqtt.bridge import BusUnavailable, Link
from chassis.mqtt.consumer import Consumer, Inbound
from chassis.mqtt.dedupe import DedupeStore, MemoryDedupe
from chassis.mqtt.routing import Handler, Subscription
from chassis.mqtt.settings import DedicatedConnection, MqttSettings
from chassis.mqtt.wire import (
    encode,
    publish_properties,
    received_context,
    subscription_number,
)
from chassis.tracing import SpanKind, current_traceparent, tracer, tracing_enabled
from contracts import topics

_log = tagged_logger("MQTT")


class Bus(Component):
    """MQTT for a service: see the package docstring for an example."""

    name = "mqtt"

    def __init__(
        self,
        settings: MqttSettings,
        *,
        service: str,
        handlers: Mapping[str, Handler] | Iterable[Subscription] | None = None,
        dedupe: DedupeStore | None = None,
        required: bool = True,
    ) -> None:
        self.settings = settings
        self.service = service
        self.required = required
        self.client_id = settings.client_id or f"{service}-{socket.gethostname()}"
        self.dlq_topic = settings.dlq_topic or topics.dead_letters(service)
        self.dedupe: DedupeStore = dedupe or MemoryDedupe(settings.dedupe_size)
        self.subscriptions: list[Subscription] = []
        self._links: list[Link] = []  # the first one publishes and carries the shared ones
        self._subscribed_links: set[Link] = set()
        self._queues: list[asyncio.Queue[Inbound | None]] = []
        self._workers: list[asyncio.Task[None]] = []
        self._window = asyncio.Semaphore(settings.max_inflight)
        self._ready = asyncio.Event()
        self._down_reason = "not started"
        self._consumer: Consumer | None = None
        # What the service listens to is fixed here: topic filter -> handler, or `Subscription`s
        # for those that want options (a model, concurrency, a dedicated connection).
        if isinstance(handlers, Mapping):
            handlers = [Subscription(f, handler) for f, handler in handlers.items()]
        self.subscriptions.extend(handlers or ())

    def subscribe(
        self,
        topic_filter: str,
        handler: Handler,
        *,
        model: Any = None,
        concurrency: int = 1,
        name: str | None = None,
        dedicated: DedicatedConnection | None = None,
    ) -> Subscription:
        """Route `topic_filter` to `handler` (before start). `model` overrides the annotation;
        `concurrency` > 1 runs that many messages at once (for handlers that await a batch);
        `dedicated` gives a busy stream a flow-controlled connection of its own."""
        if self._links:
            raise RuntimeError("subscribe before the bus starts")
        sub = Subscription(topic_filter, handler, model, name or "", concurrency, dedicated)
        self.subscriptions.append(sub)
        return sub

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._window = asyncio.Semaphore(self.settings.max_inflight)
        self._ready = asyncio.Event()
        consumer = Consumer(
            service=self.service,
            settings=self.settings,
            dlq_topic=self.dlq_topic,
            dedupe=self.dedupe,
            publish=self.publish,
            ack=self._ack,
        )
        self._consumer = consumer
        for sub in self.subscriptions:
            queue: asyncio.Queue[Inbound | None] = asyncio.Queue()
            self._queues.append(queue)
            for _ in range(sub.concurrency):
                self._workers.append(asyncio.create_task(self._work(consumer, sub, queue)))
        shared = [i for i, sub in enumerate(self.subscriptions) if sub.dedicated is None]
        self._links = [self._open(loop, self.settings, self.client_id, shared)]
        for index, sub in enumerate(self.subscriptions):
            if sub.dedicated is not None:
                own = self.settings.model_copy(
                    update={
                        "protocol": sub.dedicated.protocol,
                        "receive_maximum": sub.dedicated.window,
                        "will": None,  # presence is the main connection's
                        "birth": None,
                    }
                )
                client_id = f"{self.client_id}-{sub.name}"
                self._links.append(
                    self._open(loop, own, client_id, [index], window=sub.dedicated.window)
                )
        for link in self._links:
            link.open()
        try:
            await self.wait_connected(self.settings.connect_timeout)
        except TimeoutError:
            # Degraded, not dead: paho keeps reconnecting and /health/ready says why.
            _log.warning("broker %s not reachable yet; retrying in the background", self._where)

    async def stop(self) -> None:
        for sub, queue in zip(self.subscriptions, self._queues, strict=False):
            for _ in range(sub.concurrency):
                queue.put_nowait(None)  # stop after the message in hand; the rest stays unacked
        if self._workers:
            _, late = await asyncio.wait(self._workers, timeout=self.settings.stop_timeout)
            for task in late:
                task.cancel()
        self._ready.clear()  # so our own disconnect is not logged as losing the broker
        for link in self._links:
            await link.close()
        self._down_reason = "stopped"
        self._workers.clear()
        self._queues.clear()
        self._links.clear()
        self._subscribed_links.clear()

    def _open(
        self,
        loop: asyncio.AbstractEventLoop,
        settings: MqttSettings,
        client_id: str,
        carries: Sequence[int],
        window: int | None = None,
    ) -> Link:
        link: Link

        def arrived(message: MQTTMessage) -> None:
            index = carries[0] if len(carries) == 1 else self._route(message, carries)
            self._arrived(link, index, message)

        link = Link(
            settings,
            client_id,
            loop,
            filters=[self.subscriptions[i].topic_filter for i in carries],
            on_message=arrived,
            on_connected=lambda session_present: self._connected(client_id, session_present),
            on_subscribed=lambda: self._subscribed(link),
            on_down=lambda reason: self._down(link, reason),
            window=window,
        )
        return link

    def health(self) -> Health:
        if not self._ready.is_set():
            return Health.down(f"not connected to {self._where}: {self._down_reason}")
        paused = self._consumer.pauses.describe() if self._consumer else None
        if paused is not None:  # a handler's dependency is down: messages wait in the broker
            return Health.down(paused)
        return Health.up(broker=self._where, client_id=self.client_id)

    @property
    def connected(self) -> bool:
        return self._ready.is_set()

    async def wait_connected(self, within: float | None = None) -> None:
        """Until connected and subscribed; TimeoutError after `within` seconds."""
        async with asyncio.timeout(within):
            await self._ready.wait()

    async def publish(
        self,
        topic: str,
        message: BaseModel | bytes | str,
        *,
        qos: int = 1,
        retain: bool = False,
        expiry: int | None = None,
    ) -> None:
        """Publish and wait until the broker has it (PUBACK at QoS 1). While disconnected, a
        QoS 1 message waits for the reconnect; wrap the call in a timeout to give up waiting
        (the message may still go out: at least once). `expiry`: MQTT 5, seconds the broker
        keeps the message (retained or queued) before dropping it; ignored on MQTT 3.1.1."""
        if not self._links:
            raise BusUnavailable("the bus is not started")
        if not tracing_enabled():
            await self._publish(self._links[0], topic, message, qos, retain, expiry)
            return
        with tracer().start_as_current_span(
            f"publish {topic}",
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "mqtt",
                "messaging.operation.type": "send",
                "messaging.destination.name": topic,
            },
        ):
            await self._publish(self._links[0], topic, message, qos, retain, expiry)

    async def _publish(
        self,
        link: Link,
        topic: str,
        message: BaseModel | bytes | str,
        qos: int,
        retain: bool,
        expiry: int | None,
    ) -> None:
        payload, rid = encode(message)
        properties = publish_properties(rid, expiry, current_traceparent()) if link.v5 else None
        async with self._window:  # bounded in flight: paho stalls on huge windows
            await link.publish(topic, payload, qos, retain, properties)
        fleet_metrics().mqtt_published.inc()

    @property
    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    # Called on the loop thread, handed over from paho's thread by the link.

    def _connected(self, client_id: str, session_present: bool) -> None:
        where = self._where
        _log.info("connected to %s as %s (session kept: %s)", where, client_id, session_present)

    def _subscribed(self, link: Link) -> None:
        self._subscribed_links.add(link)
        if len(self._subscribed_links) == len(self._links):
            self._ready.set()
        birth = self.settings.birth
        if birth is not None and link is self._links[0]:
            sent = link.publish(birth.topic, birth.payload.encode(), birth.qos, birth.retain)
            sent.add_done_callback(lambda f: f.cancelled() or f.exception())

    def _down(self, link: Link, reason: str) -> None:
        if self._ready.is_set():
            _log.warning("lost the broker %s: %s; reconnecting", self._where, reason)
        self._ready.clear()
        self._subscribed_links.discard(link)
        self._down_reason = reason

    def _arrived(self, link: Link, index: int | None, message: MQTTMessage) -> None:
        if index is None:
            _log.error("no subscription matches %s; leaving it unacked", message.topic)
            link.release()
            return
        rid, traceparent = received_context(message)
        self._queues[index].put_nowait(
            Inbound(
                mid=message.mid,
                qos=message.qos,
                topic=message.topic,
                payload=bytes(message.payload),
                redelivered=bool(message.dup),
                retained=bool(message.retain),
                correlation_id=rid,
                traceparent=traceparent,
                link=link,
                connection=link.connection,
            )
        )

    def _route(self, message: MQTTMessage, carries: Sequence[int]) -> int | None:
        number = subscription_number(message)
        if number is not None:  # MQTT 5 tells which of the link's subscriptions matched
            return carries[number - 1]
        for index in carries:
            if self.subscriptions[index].matches(message.topic):
                return index
        return None

    def _ack(self, message: Inbound) -> None:
        if message.connection == message.link.connection and message.qos:
            message.link.ack(message.mid)

    async def _work(
        self, consumer: Consumer, sub: Subscription, queue: asyncio.Queue[Inbound | None]
    ) -> None:
        while (message := await queue.get()) is not None:
            try:
                await consumer.handle(sub, message)
            except Exception:  # never let one message stop the subscription
                _log.exception("could not handle a message from %s", message.topic)
            finally:
                message.link.release()
