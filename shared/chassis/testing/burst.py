"""A burst of QoS 1 telemetry, sent by mosquitto_pub as fast as the publishers can.

Every reading a burst sends can be counted in the store: reading `n` of a topic carries the value
`n` (metric `seq`) and a timestamp of its own, so `lost = sent - distinct` and
`duplicated = rows - distinct`. mosquitto_pub -l wraps its 16-bit message id past 65,535 lines in
one go and loses messages, so one publisher sends at most CHUNK lines.

>>> burst = Burst(["fleet/devices/1/telemetry", "fleet/devices/2/telemetry"], per_topic=50_000)
>>> seconds = burst.send(broker.address)  # every PUBACK received
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from chassis.local import BrokerAddress

CHUNK = 50_000


@dataclass(frozen=True)
class Burst:
    topics: Sequence[str]
    per_topic: int
    # Reading n is stamped base_ts + n milliseconds: an hour ago, inside any clock-skew check.
    base_ts: int = field(default_factory=lambda: int(time.time()) - 3600)

    @property
    def total(self) -> int:
        return len(self.topics) * self.per_topic

    def send(self, address: BrokerAddress, *, publishers: int = 4) -> float:
        """Publish every reading, `publishers` mosquitto_pub processes at once; returns the
        seconds it took. Raises if a publisher failed (then some readings were not sent)."""
        executable = shutil.which("mosquitto_pub")
        if executable is None:
            raise FileNotFoundError(
                "mosquitto_pub is not installed (apt-get install mosquitto-clients)"
            )
        chunks = [
            (topic, start, min(CHUNK, self.per_topic - start))
            for start in range(0, self.per_topic, CHUNK)
            for topic in self.topics
        ]
        started = time.monotonic()
        with ThreadPoolExecutor(publishers) as pool:
            for _ in pool.map(lambda chunk: self._publish(executable, address, *chunk), chunks):
                pass
        return time.monotonic() - started

    def _publish(
        self, executable: str, address: BrokerAddress, topic: str, start: int, count: int
    ) -> None:
        lines = "".join(
            json.dumps({"ts": self.base_ts + n / 1000, "metrics": {"seq": n}}) + "\n"
            for n in range(start, start + count)
        )
        command = [executable, "-h", address.host, "-p", str(address.port), "-q", "1"]
        if address.username:
            command += ["-u", address.username, "-P", address.password or ""]
        # A client id of its own, so parallel publishers never take over each other's session.
        command += ["-i", f"burst-{uuid.uuid4().hex[:12]}", "-t", topic, "-l"]
        subprocess.run(command, input=lines.encode(), check=True, stderr=subprocess.PIPE)
