"""A fleet of simulated devices: `python -m devices.simulator --devices 5 --rate 2`.

Each device is one MQTT client with a last will (`offline`, retained) that announces itself
`online` (retained), publishes telemetry `rate` times a second (a slow drift, noise, and now
and then a temperature spike past 80), and acks every command it receives.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

import httpx
import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from contracts import topics
from contracts.devices import Command, CommandAck

THRESHOLDS = {"temperature": {"high": 80, "high_clear": 75}, "pressure": {"low": 1.0}}


@dataclass
class SimulatedDevice:
    device_id: str
    broker: str
    prefix: str = ""
    breach_chance: float = 0.01
    commands: list[Command] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.random = random.Random(self.device_id)  # noqa: S311 (simulated noise, not secrets)
        self.base = self.random.uniform(55, 70)
        self.phase = self.random.uniform(0, math.tau)
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"sim-{self.device_id}")
        self.client.will_set(self._topic(topics.status(self.device_id)), "offline", 1, True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_command

    def start(self) -> None:
        url = urlparse(self.broker)
        self.client.connect(url.hostname or "127.0.0.1", url.port or 1883)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.publish(self._topic(topics.status(self.device_id)), "offline", 1, True)
        self.client.disconnect()
        self.client.loop_stop()

    def reading(self, now: float) -> dict[str, object]:
        drift = 8 * math.sin(now / 300 + self.phase)
        temperature = self.base + drift + self.random.gauss(0, 0.5)
        if self.random.random() < self.breach_chance:
            temperature = self.random.uniform(81, 95)
        pressure = 2.0 + 0.1 * math.cos(now / 120 + self.phase) + self.random.gauss(0, 0.02)
        metrics = {"temperature": round(temperature, 2), "pressure": round(pressure, 3)}
        return {"ts": round(now, 3), "metrics": metrics}

    def publish_reading(self) -> None:
        body = json.dumps(self.reading(time.time()))
        self.client.publish(self._topic(topics.telemetry(self.device_id)), body, qos=1)

    def _topic(self, topic: str) -> str:
        return self.prefix + topic

    def _on_connect(self, client: paho.Client, *_: object) -> None:
        client.subscribe(self._topic(topics.commands(self.device_id)), qos=1)
        client.publish(self._topic(topics.status(self.device_id)), "online", 1, True)

    def _on_command(
        self, client: paho.Client, _userdata: object, message: paho.MQTTMessage
    ) -> None:
        try:
            command = Command.model_validate_json(message.payload)
        except ValueError:
            return
        self.commands.append(command)
        ack = CommandAck(command_id=command.command_id, ok=True, acked_at=datetime.now(UTC))
        ack_topic = self._topic(topics.command_ack(self.device_id, command.command_id))
        client.publish(ack_topic, ack.model_dump_json(), qos=1)


def register(api: str, token: str, count: int) -> list[str]:
    """Register `count` devices through the devices API; their ids."""
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    with httpx.Client(base_url=api, headers=headers, timeout=10) as client:
        for n in range(count):
            body = {"name": f"sim-{n}", "kind": "sensor", "site": "sim", "thresholds": THRESHOLDS}
            response = client.post("/v1/devices", json=body)
            response.raise_for_status()
            ids.append(str(response.json()["id"]))
    return ids


def run(devices: list[SimulatedDevice], rate: float, stop: threading.Event) -> None:
    """Publish from every device `rate` times a second until `stop` is set."""
    for device in devices:
        device.start()
    try:
        period = 1.0 / rate
        next_tick = time.monotonic()
        while not stop.is_set():
            for device in devices:
                device.publish_reading()
            next_tick += period
            stop.wait(max(0.0, next_tick - time.monotonic()))
    finally:
        for device in devices:
            device.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devices.simulator", description=__doc__)
    parser.add_argument("--devices", type=int, default=5, help="How many devices to register.")
    parser.add_argument("--rate", type=float, default=1.0, help="Readings per second per device.")
    parser.add_argument("--broker", default="mqtt://127.0.0.1:1883")
    parser.add_argument("--api", default="http://127.0.0.1:8003", help="To register devices.")
    parser.add_argument("--token", help="An operator's bearer token for --api.")
    parser.add_argument("--ids", help="Comma-separated ids of registered devices to reuse.")
    parser.add_argument("--duration", type=float, default=0, help="Seconds to run (0: forever).")
    args = parser.parse_args(argv)
    if args.ids:
        ids = [i.strip() for i in args.ids.split(",") if i.strip()]
    elif args.token:
        ids = register(args.api, args.token, args.devices)
    else:
        parser.error("pass --ids to reuse devices, or --token to register --devices of them")
    stop = threading.Event()
    if args.duration:
        threading.Timer(args.duration, stop.set).start()
    print(f"simulating {len(ids)} devices at {args.rate}/s each: {','.join(ids)}", flush=True)
    try:
        run([SimulatedDevice(i, args.broker) for i in ids], args.rate, stop)
    except KeyboardInterrupt:
        stop.set()


if __name__ == "__main__":
    main()
