"""A QoS 1 burst larger than the broker's old queue limit (100,000), with the ingesting process
killed -9 mid-burst: every reading the broker acknowledged is stored, exactly once.

The devices service runs as a real process on the fleet's broker limits; while it is down its
persistent telemetry session keeps the backlog at the broker. The 1,000,000 figure comes from
`tools/bench/burst.py` (docs/capacity.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from chassis.db import DatabaseSettings, create_engine
from chassis.testing import Burst, Mosquitto, free_port

DEVICES = 3
PER_DEVICE = 50_000  # 150,000 readings: half again the old queue limit
KILL_AFTER = 10_000  # stored readings before the kill -9


class DevicesProcess:
    """`python -m devices.main serve` with a stable client id, as a pod restarts."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "devices.main", "serve"]
        self.process = subprocess.Popen(command, env=self.env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health/ready").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("the devices process never became ready")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def devices_process(
    database_url: str, fleet_broker: Mosquitto, mqtt_namespace: str, mqtt_client_id: str
) -> Iterator[DevicesProcess]:
    port = free_port()
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(sys.path),  # the code this test runs, from Pants' sandbox
        "DEVICES__DATABASE__URL": database_url,
        "DEVICES__MQTT__URL": fleet_broker.address.url,
        "DEVICES__MQTT__CLIENT_ID": f"{mqtt_client_id}-devices",
        "DEVICES__INGEST__TOPIC_PREFIX": f"{mqtt_namespace}/",
        "DEVICES__INGEST__SHARE_GROUP": "",  # one replica, as ./fleet up runs it
        "DEVICES__HTTP__PORT": str(port),
        "DEVICES__MONITOR__ENABLED": "false",
        "DEVICES__LOGGING__LEVEL": "WARNING",
    }
    service = DevicesProcess(env, port)
    service.start()
    yield service
    service.kill()


def test_a_burst_survives_a_kill_9_of_the_ingesting_process(
    devices_process: DevicesProcess,
    database_url: str,
    fleet_broker: Mosquitto,
    mqtt_namespace: str,
) -> None:
    engine = create_engine(DatabaseSettings(url=database_url))
    with engine.begin() as conn:
        for device in range(1, DEVICES + 1):
            conn.execute(
                sa.text(
                    "INSERT INTO devices (id, name, kind, site, online, created_at)"
                    " VALUES (:id, 'burst', 'sensor', 'north', false, CURRENT_TIMESTAMP)"
                ),
                {"id": device},
            )

    def counts() -> tuple[int, int]:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM readings")).scalar_one()
            distinct = conn.execute(
                sa.text("SELECT count(*) FROM (SELECT DISTINCT device_id, value FROM readings) d")
            ).scalar_one()
            return int(rows), int(distinct)

    topics = [f"{mqtt_namespace}/fleet/devices/{d}/telemetry" for d in range(1, DEVICES + 1)]
    burst = Burst(topics, per_topic=PER_DEVICE)
    sender = threading.Thread(target=burst.send, args=(fleet_broker.address,))
    sender.start()
    while counts()[0] < KILL_AFTER:
        time.sleep(0.05)
    devices_process.kill()
    sender.join()  # every reading acknowledged by the broker while the service is down
    devices_process.start()
    deadline = time.monotonic() + 90
    while counts()[0] < burst.total and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(1)  # anything redelivered late would show now
    rows, distinct = counts()
    engine.dispose()
    assert (burst.total - distinct, rows - distinct) == (0, 0)  # (lost, duplicated)
