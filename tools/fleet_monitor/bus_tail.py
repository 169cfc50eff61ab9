"""The last events on the bus: a paho subscriber in its own thread, bridged to the event loop.

paho runs its network loop in a thread of its own and calls back there. The callbacks only parse
the payload and hand the result to the asyncio loop with `call_soon_threadsafe`; the deque and
the connection state are touched by the loop thread alone, so the page reads them without locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from paho.mqtt.client import Client, ConnectFlags, DisconnectFlags, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode


@dataclass(frozen=True)
class BusEvent:
    """One envelope as the page lists it; a payload that is no envelope still shows its topic."""

    time: str
    type: str
    source: str
    correlation_id: str
    topic: str


def bus_event(topic: str, payload: bytes | bytearray) -> BusEvent:
    """The row for one message; never raises, whatever the payload holds."""
    try:
        envelope: Any = json.loads(payload)
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict):
        return BusEvent(_now(), "(not an envelope)", "", "", topic)
    return BusEvent(
        time=str(envelope.get("occurred_at") or _now()),
        type=str(envelope.get("type", "?")),
        source=str(envelope.get("source", "?")),
        correlation_id=str(envelope.get("correlation_id") or ""),
        topic=topic,
    )


class EventTail:
    """Subscribes to `topic_filter` and keeps the newest `keep` envelopes, newest first.

    A viewer, not a consumer: QoS 0 and a clean session, so the broker never queues messages for
    a monitor that is closed. paho reconnects by itself and `_connected` re-subscribes.
    """

    def __init__(
        self, broker_url: str, topic_filter: str = "fleet/events/#", keep: int = 50
    ) -> None:
        self._url = urlsplit(broker_url)
        self._filter = topic_filter
        self.events: deque[BusEvent] = deque(maxlen=keep)
        self.connected = False
        self.state = "connecting"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Client | None = None

    async def start(self) -> None:
        """Begin connecting in the background: a broker that is down is retried, never awaited."""
        self._loop = asyncio.get_running_loop()
        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"fleet-monitor-{uuid.uuid4().hex[:8]}",
            protocol=MQTTProtocolVersion.MQTTv311,
            clean_session=True,
        )
        if self._url.username:
            client.username_pw_set(self._url.username, self._url.password)
        client.reconnect_delay_set(1, 10)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.connect_async(self._url.hostname or "127.0.0.1", self._url.port or 1883, 30)
        client.loop_start()
        self._client = client

    async def stop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.disconnect()
            await asyncio.to_thread(client.loop_stop)  # joins paho's thread: not on the loop

    # paho's thread below: hand everything to the loop.

    def _on_connect(
        self,
        client: Client,
        userdata: Any,
        flags: ConnectFlags,
        reason: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason.is_failure:
            self._to_loop(self._set_state, False, f"refused: {reason}")
            return
        client.subscribe(self._filter, qos=0)
        self._to_loop(self._set_state, True, "connected")

    def _on_disconnect(
        self,
        client: Client,
        userdata: Any,
        flags: DisconnectFlags,
        reason: ReasonCode,
        properties: Properties | None,
    ) -> None:
        self._to_loop(self._set_state, False, f"disconnected ({reason}); reconnecting")

    def _on_message(self, client: Client, userdata: Any, message: MQTTMessage) -> None:
        self._to_loop(self.events.appendleft, bus_event(message.topic, message.payload))

    def _to_loop(self, callback: Any, *args: Any) -> None:
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed while paho was stopping
                self._loop.call_soon_threadsafe(callback, *args)

    def _set_state(self, connected: bool, state: str) -> None:
        self.connected, self.state = connected, state


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
