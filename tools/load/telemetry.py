"""One simulated device's MQTT link: readings published at QoS 1, each one confirmed by PUBACK.

Plain paho-mqtt with blocking waits; in the locust process gevent makes them cooperative.
"""

from __future__ import annotations

import contextlib
import random
import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.reasoncodes import ReasonCode

from contracts import topics
from contracts.devices import Reading


class LinkDown(Exception):
    """The broker refused the device, or did not answer in time."""


class TelemetryLink:
    def __init__(self, broker_url: str, device_id: str, client_id: str) -> None:
        self.device_id = device_id
        self.topic = topics.telemetry(device_id)
        self._broker = urlsplit(broker_url)
        self._connected = threading.Event()
        self._refusal: str | None = None
        # MQTT 3.1.1: what every broker the fleet runs on speaks (amqtt knows no other).
        self._client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv311
        )
        if self._broker.username:
            self._client.username_pw_set(self._broker.username, self._broker.password)
        # As a real device does: presence the devices service tracks, `offline` as the last will.
        self._client.will_set(topics.status(device_id), "offline", qos=1, retain=True)
        self._client.on_connect = self._on_connect

    def connect(self, timeout: float) -> None:
        """Connect and announce the device online; LinkDown unless the broker accepts in time."""
        self._client.connect(self._broker.hostname or "127.0.0.1", self._broker.port or 1883)
        self._client.loop_start()
        if not self._connected.wait(timeout):
            self.close()
            raise LinkDown(self._refusal or f"no CONNACK within {timeout:g} s")
        self._client.publish(topics.status(self.device_id), "online", qos=1, retain=True)

    def publish_reading(self, timeout: float) -> int:
        """Publish one reading and wait for its PUBACK; the payload's size in bytes."""
        reading = Reading(ts=datetime.now(UTC), metrics=_metrics())
        payload = reading.model_dump_json().encode()
        message = self._client.publish(self.topic, payload, qos=1)
        try:
            message.wait_for_publish(timeout)
        except (RuntimeError, ValueError) as exc:  # not connected, or paho's queue is full
            raise LinkDown(str(exc)) from None
        if not message.is_published():
            raise LinkDown(f"no PUBACK within {timeout:g} s")
        return len(payload)

    def close(self) -> None:
        if self._connected.is_set():
            message = self._client.publish(topics.status(self.device_id), "offline", 1, True)
            # If the link is down already, the broker publishes the last will instead.
            with contextlib.suppress(RuntimeError):
                message.wait_for_publish(2.0)
        self._client.disconnect()
        self._client.loop_stop()

    def _on_connect(
        self,
        _client: paho.Client,
        _userdata: object,
        _flags: paho.ConnectFlags,
        reason: ReasonCode,
        _properties: object,
    ) -> None:
        if reason.is_failure:
            self._refusal = f"the broker refused the device: {reason}"
        else:
            self._connected.set()


def _metrics() -> dict[str, float]:
    # A plausible pump: drift-free noise around a normal operating point.
    sample = random.gauss
    return {"temperature": round(sample(60, 2), 2), "pressure": round(sample(2.0, 0.05), 3)}
