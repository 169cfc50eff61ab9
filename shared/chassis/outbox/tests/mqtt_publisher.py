"""A minimal real `publish` over paho-mqtt, standing in for the chassis bus in relay tests."""

from __future__ import annotations

from types import TracebackType

import anyio
from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion

from chassis.testing import BrokerAddress


class PahoPublisher:
    """`await publisher(topic, payload)` returns once the broker acknowledged it (QoS 1)."""

    def __init__(self, address: BrokerAddress, client_id: str) -> None:
        self._client = Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        self._address = address

    def __enter__(self) -> PahoPublisher:
        self._client.connect(self._address.host, self._address.port)
        self._client.loop_start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._client.loop_stop()
        self._client.disconnect()

    async def __call__(self, topic: str, payload: bytes) -> None:
        info = self._client.publish(topic, payload, qos=1)
        await anyio.to_thread.run_sync(info.wait_for_publish, 10.0)
