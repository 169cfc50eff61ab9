"""The simulator publishes presence and telemetry, and acks the commands it receives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from chassis.testing import BrokerAddress
from contracts import topics
from contracts.devices import Command, CommandAck, Reading
from devices.simulator import SimulatedDevice, run


def wait_for(condition: Callable[[], bool], within: float = 10) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_simulator_publishes_telemetry_and_acks_commands(
    mqtt_broker: BrokerAddress, mqtt_namespace: str, mqtt_client_id: str
) -> None:
    prefix = f"{mqtt_namespace}/"
    seen: dict[str, list[bytes]] = {}
    observer = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"{mqtt_client_id}-obs")
    observer.on_message = lambda _c, _u, m: seen.setdefault(m.topic, []).append(bytes(m.payload))
    host, port = mqtt_broker.url.removeprefix("mqtt://").split(":")
    observer.connect(host, int(port))
    observer.subscribe(prefix + topics.device("77") + "/#", qos=1)
    observer.loop_start()
    time.sleep(0.2)
    device = SimulatedDevice("77", mqtt_broker.url, prefix=prefix)
    stop = threading.Event()
    runner = threading.Thread(target=run, args=([device], 20.0, stop))
    runner.start()
    try:
        telemetry = prefix + topics.telemetry("77")
        wait_for(lambda: len(seen.get(telemetry, [])) >= 3)
        reading = Reading.model_validate_json(seen[telemetry][0])
        assert set(reading.metrics) == {"temperature", "pressure"}
        assert seen[prefix + topics.status("77")][0] == b"online"
        command = Command(command_id=5, name="reboot", issued_at=datetime.now(UTC))
        observer.publish(prefix + topics.commands("77"), command.model_dump_json(), qos=1)
        ack_topic = prefix + topics.command_ack("77", 5)
        wait_for(lambda: ack_topic in seen)
        assert CommandAck.model_validate_json(seen[ack_topic][0]).ok
    finally:
        stop.set()
        runner.join(10)
        observer.disconnect()
        observer.loop_stop()
