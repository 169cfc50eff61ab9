"""The MQTT side of the events benchmark: a subscriber noting when each event arrived, and a plain
paho QoS 1 publisher giving the broker's own rate as the reference for the relay's.

    python -m benchmarks.tasks.receipts HOST PORT COUNT   # prints the reference rate, events/s
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid

import orjson
from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from chassis.local import BrokerAddress

# About the size of a task.created event: the relay and the reference move the same bytes.
REFERENCE_PAYLOAD = b"x" * 420


class Receipts:
    """A QoS 1 subscriber, as a consuming service would be: the moment each `task.created` event
    arrived (by task id), and how many messages of the drain topic came, first to last."""

    def __init__(self, address: BrokerAddress, created_topic: str, drain_topic: str) -> None:
        self.created: dict[int, float] = {}
        self.drained, self.drain_first, self.drain_last = 0, 0.0, 0.0
        self._topics = (created_topic, drain_topic)
        subscribed = threading.Event()
        client = Client(CallbackAPIVersion.VERSION2, client_id=f"bench-sub-{uuid.uuid4().hex[:8]}")
        client.on_connect = lambda c, *_: c.subscribe([(t, 1) for t in self._topics])
        client.on_subscribe = lambda *_: subscribed.set()
        client.on_message = self._arrived
        client.connect(address.host, address.port)
        client.loop_start()
        self._client = client
        if not subscribed.wait(10):
            raise TimeoutError("the benchmark's subscriber got no SUBACK")

    def _arrived(self, _client: Client, _userdata: object, message: MQTTMessage) -> None:
        now = time.time()
        if message.topic == self._topics[0]:
            self.created[int(orjson.loads(message.payload)["data"]["task_id"])] = now
            return
        if not self.drained:
            self.drain_first = now
        self.drained += 1
        self.drain_last = now

    def close(self) -> None:
        self._client.loop_stop()
        self._client.disconnect()


def reference_rate(address: BrokerAddress, count: int) -> float:
    """QoS 1 messages per second a plain paho client (MQTT 5, 1,000 in flight, as the bus) gets
    acknowledged, run on core 0 where the service runs."""
    command = ["taskset", "-c", "0", sys.executable, "-m", "benchmarks.tasks.receipts",
               address.host, str(address.port), str(count)]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode:
        raise RuntimeError(f"the reference publisher failed:\n{run.stderr[-2000:]}")
    return float(run.stdout.split()[-1])


def _publish(host: str, port: int, count: int) -> float:
    done = threading.Event()
    window = threading.BoundedSemaphore(1000)  # as the bus: paho stalls on a queue past it
    acked = 0

    def published(*_: object) -> None:
        nonlocal acked
        acked += 1
        window.release()
        if acked == count:
            done.set()

    client = Client(
        CallbackAPIVersion.VERSION2, client_id=f"bench-ref-{uuid.uuid4().hex[:8]}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )  # fmt: skip
    client.max_inflight_messages_set(1000)
    client.on_publish = published
    client.connect(host, port)
    client.loop_start()
    started = time.perf_counter()
    for _ in range(count):
        window.acquire()
        client.publish("bench/reference", REFERENCE_PAYLOAD, qos=1)
    if not done.wait(300):
        raise TimeoutError(f"{acked} of {count} reference publishes acknowledged")
    rate = count / (time.perf_counter() - started)
    client.loop_stop()
    client.disconnect()
    return rate


if __name__ == "__main__":
    print(f"{_publish(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])):.1f}")
