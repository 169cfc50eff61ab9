"""paho's network thread on one side, the service's event loop on the other.

paho calls back on its own thread; every callback here only hands the event to the loop, so
handlers, futures and state are touched by the loop thread alone. The hand-off is a queue the loop
drains in order: one `call_soon_threadsafe` (a wake-up write) per burst, not per message.
From the loop we call only paho's non-blocking APIs (`publish`, `ack`, `disconnect`: they queue
a packet and wake the network thread); `loop_stop`, which joins the thread, runs in a worker.

A link with a `window` is flow-controlled: its network thread waits before handing over a
message while the service holds `window` of them, so it stops reading and TCP pushes back to
the broker. Receive Maximum alone does not bound this: Mosquitto 2.0 sends the messages it had
queued for a slow client past it. Only a link nobody publishes on may wait so (a handler
awaiting a PUBACK would need the thread that waits): the bus gives such links one subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from paho.mqtt.client import (
    MQTT_CLEAN_START_FIRST_ONLY,
    Client,
    ConnectFlags,
    DisconnectFlags,
    MQTTMessage,
)
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from chassis.logging import tagged_logger
from chassis.mqtt.settings import MqttSettings
from chassis.mqtt.wire import properties_of

_log = tagged_logger("MQTT")


class BusUnavailable(ConnectionError):
    """A message could not be handed to the broker (QoS 0 while disconnected, or stopped)."""


class Link:
    """One paho client and the futures of its publishes awaiting PUBACK."""

    def __init__(
        self,
        settings: MqttSettings,
        client_id: str,
        loop: asyncio.AbstractEventLoop,
        *,
        filters: Sequence[str],
        on_message: Callable[[MQTTMessage], None],
        on_connected: Callable[[bool], None],
        on_subscribed: Callable[[], None],
        on_down: Callable[[str], None],
        window: int | None = None,
    ) -> None:
        self.settings = settings
        self.v5 = settings.protocol == "5"
        self._loop = loop
        self._filters = list(filters)
        self._on_message, self._on_down = on_message, on_down
        self._on_connected, self._on_subscribed = on_connected, on_subscribed
        self._pending: dict[int, asyncio.Future[None]] = {}
        self._subacks: set[int] = set()  # touched by the network thread only
        # Events from the network thread, in order; deque appends and pops are atomic.
        self._inbox: deque[tuple[Callable[..., None], tuple[Any, ...]]] = deque()
        self._wake_pending = False
        self.connection = 0  # counts connections; acks of an older one are dropped
        self._window, self._held, self._closing = window, 0, False
        self._room = threading.Condition()
        self.client = self._build(client_id)

    def _build(self, client_id: str) -> Client:
        s = self.settings
        protocol = MQTTProtocolVersion.MQTTv5 if self.v5 else MQTTProtocolVersion.MQTTv311
        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=protocol,
            clean_session=None if self.v5 else s.clean_start,
            manual_ack=True,
        )
        username, password = s.credentials()
        if username:
            client.username_pw_set(username, password)
        if s.will is not None:
            client.will_set(s.will.topic, s.will.payload, s.will.qos, s.will.retain)
        client.reconnect_delay_set(s.reconnect_min_delay, s.reconnect_max_delay)
        client.max_inflight_messages_set(s.max_inflight)
        client.on_connect = self._connected
        client.on_disconnect = self._disconnected
        client.on_message = self._message
        client.on_publish = self._published
        client.on_subscribe = self._subscribed
        return client

    def open(self) -> None:
        """Start connecting in paho's thread; it retries with backoff until close()."""
        s = self.settings
        properties = None
        if self.v5:
            properties = properties_of(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = s.session_expiry
            properties.ReceiveMaximum = s.receive_maximum
        self.client.connect_async(
            s.host,
            s.port,
            keepalive=s.keepalive,
            # MQTT 3.1.1 takes clean_session in the constructor; paho wants the default here.
            clean_start=s.clean_start if self.v5 else MQTT_CLEAN_START_FIRST_ONLY,
            properties=properties,
        )
        self.client.loop_start()

    async def close(self) -> None:
        """Disconnect cleanly (the broker drops our last will), then join paho's thread."""
        with self._room:
            self._closing = True  # a network thread waiting for room must not wait forever
            self._room.notify_all()
        self.client.disconnect()
        await asyncio.to_thread(self.client.loop_stop)
        # paho closes its wake-up socket pair only in __del__; when the client sits in a
        # reference cycle the collector may finalize the sockets first, which then warn.
        reset = getattr(self.client, "_reset_sockets", None)  # private in paho 2.x
        if reset is not None:
            reset()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(BusUnavailable("the bus stopped before the broker acked"))
        self._pending.clear()

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int,
        retain: bool,
        properties: Properties | None = None,
    ) -> asyncio.Future[None]:
        """Queue a message; the future completes when the broker has it (PUBACK, or sent)."""
        info = self.client.publish(topic, payload, qos, retain, properties)
        if info.rc == MQTTErrorCode.MQTT_ERR_NO_CONN and qos > 0:
            pass  # paho keeps QoS>0 messages and sends them once reconnected
        elif info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            raise BusUnavailable(f"cannot publish to {topic}: {info.rc.name}")
        # The PUBACK can't have been handled yet: its callback needs this thread to run.
        future = self._loop.create_future()
        self._pending[info.mid] = future
        return future

    def ack(self, mid: int) -> None:
        self.client.ack(mid, 1)

    def release(self) -> None:
        """The service is done with one message of this link (acked or left unacked)."""
        if self._window is not None:
            with self._room:
                self._held -= 1
                self._room.notify()

    # paho's network thread below: hand over, never raise, block only for flow control.

    def _connected(
        self,
        client: Client,
        userdata: Any,
        flags: ConnectFlags,
        reason: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason.is_failure:
            _log.warning("broker refused the connection: %s", reason)
            return
        # Before any message of this connection: its acks must carry the new connection number.
        self._call(self._opened, flags.session_present)
        # Subscribe again every time: the broker may have lost the session (restart, expiry).
        self._subacks.clear()
        for number, topic_filter in enumerate(self._filters, start=1):
            props = None
            if self.v5:
                # The identifier comes back on each message: it names the subscription exactly.
                props = properties_of(PacketTypes.SUBSCRIBE)
                props.SubscriptionIdentifier = number
            _, mid = client.subscribe(topic_filter, qos=1, properties=props)
            if mid is not None:
                self._subacks.add(mid)
        if not self._subacks:
            self._call(self._on_subscribed)

    def _subscribed(
        self,
        client: Client,
        userdata: Any,
        mid: int,
        reasons: list[ReasonCode],
        properties: Properties | None,
    ) -> None:
        for reason in reasons:
            if reason.is_failure:
                _log.error("broker refused a subscription: %s", reason)
        self._subacks.discard(mid)
        if not self._subacks:
            self._call(self._on_subscribed)

    def _disconnected(
        self,
        client: Client,
        userdata: Any,
        flags: DisconnectFlags,
        reason: ReasonCode,
        properties: Properties | None,
    ) -> None:
        self._call(self._on_down, str(reason))

    def _message(self, client: Client, userdata: Any, message: MQTTMessage) -> None:
        if self._window is not None:
            with self._room:  # the one wait on this thread: flow control, see the docstring
                while self._held >= self._window and not self._closing:
                    self._room.wait()
                self._held += 1
        self._call(self._on_message, message)

    def _published(
        self,
        client: Client,
        userdata: Any,
        mid: int,
        reason: ReasonCode,
        properties: Properties | None,
    ) -> None:
        self._call(self._settle, mid, reason.is_failure, str(reason))

    # The loop thread below.

    def _opened(self, session_present: bool) -> None:
        self.connection += 1
        self._on_connected(session_present)

    def _settle(self, mid: int, failed: bool, reason: str) -> None:
        future = self._pending.pop(mid, None)
        if future is None or future.done():
            return  # the publisher gave up waiting; the broker has the message anyway
        if failed:
            future.set_exception(BusUnavailable(f"broker refused the message: {reason}"))
        else:
            future.set_result(None)

    def _call(self, callback: Callable[..., None], *args: Any) -> None:
        self._inbox.append((callback, args))
        if not self._wake_pending:  # else the loop has a drain coming that will see this one
            self._wake_pending = True
            # A closed loop means the service is gone; the broker redelivers what was unacked.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        # Cleared before draining: an event appended from now on schedules a drain of its own.
        self._wake_pending = False
        while self._inbox:
            callback, args = self._inbox.popleft()
            try:
                callback(*args)
            except Exception:  # one bad event must not strand the ones behind it
                _log.exception("handling an MQTT event failed")
