"""MQTT brokers on this machine: the one a URL names, or a private one started on a free port.

A private broker is Mosquitto from PATH when it is installed (fast, MQTT v5), otherwise amqtt
running in a thread of this process (MQTT 3.1.1 only; the chassis stays correct on it). The
fleet runner (`./fleet up`) and the tests start them; whatever stops and starts a broker must use
a private one, never the shared server others use.
"""

from __future__ import annotations

import asyncio
import getpass
import shutil
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from paho.mqtt.client import Client
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from chassis.local.ports import free_port, wait_for_port
from chassis.local.unreachable import ServerUnreachable

_START_MOSQUITTO = (
    "Start it (on a Fleet dev or CI machine: 'mosquitto -d -c /etc/mosquitto/mosquitto.conf'), "
    "or unset MQTT_URL to run on a private broker the tests start themselves."
)


@dataclass(frozen=True)
class BrokerAddress:
    """Where a broker listens, and the credentials to use (none for the private brokers)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        """`mqtt://[user:password@]host[:port]`, the form of MQTT_URL."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp"):
            raise ValueError(f"MQTT_URL must look like mqtt://host:1883, not {url!r}")
        return cls(
            parts.hostname or "127.0.0.1", parts.port or 1883, parts.username, parts.password
        )

    @property
    def url(self) -> str:
        auth = f"{self.username}:{self.password}@" if self.username else ""
        return f"mqtt://{auth}{self.host}:{self.port}"

    def probe(self, timeout: float = 5.0) -> None:
        """Raise ServerUnreachable unless the broker answers an MQTT CONNECT within `timeout`."""
        connected = threading.Event()
        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"probe-{uuid.uuid4().hex[:8]}",
            protocol=MQTTProtocolVersion.MQTTv311,
        )
        if self.username:
            client.username_pw_set(self.username, self.password)
        client.on_connect = lambda *args: connected.set()
        try:
            client.connect(self.host, self.port, keepalive=10)
            client.loop_start()
            if not connected.wait(timeout):
                raise OSError(f"no CONNACK within {timeout:g}s")
        except OSError as exc:
            raise ServerUnreachable(
                f"MQTT_URL points at a broker on {self.host}:{self.port}, which did not answer "
                f"({exc}). " + _START_MOSQUITTO
            ) from exc
        finally:
            client.loop_stop()
            client.disconnect()


# The fleet's broker limits (deploy/overlays/dev/platform/mosquitto.conf says the same):
# QoS 1 throughput needs more than the default 20 in flight per client, and a subscriber that is
# slow or restarting must not lose a burst: past max_queued_messages Mosquitto silently drops what
# it acknowledged. 2,000,000 holds a 1,000,000-reading burst twice over, at ~46 MB of broker memory
# per 100,000 queued readings (docs/capacity.md).
LIMITS = "max_inflight_messages 1000\nmax_queued_messages 2000000\n"


class PrivateBroker(Protocol):
    address: BrokerAddress

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Mosquitto:
    """A Mosquitto process of our own, on a free port; stop and start it at will.

    >>> broker = Mosquitto()
    >>> broker.start()
    >>> broker.address.url  # mqtt://127.0.0.1:<port>
    >>> broker.stop()       # clients see the broker go away; start() brings it back, same port
    """

    def __init__(
        self,
        port: int | None = None,
        executable: str | None = None,
        *,
        persistent: bool = False,
        limits: str = LIMITS,
    ) -> None:
        self.address = BrokerAddress("127.0.0.1", port or free_port())
        # persistent: sessions and queued messages survive stop()/start(), as on a real broker.
        self.persistent = persistent
        self.limits = limits  # the fleet's; a benchmark may compare others
        self._executable = executable or _find_mosquitto()
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir = Path(tempfile.mkdtemp(prefix="fleet-mosquitto-"))

    def start(self) -> None:
        if self._executable is None:
            raise FileNotFoundError("mosquitto is not installed (apt-get install mosquitto)")
        config = self._workdir / "mosquitto.conf"
        persistence = (
            # Started as root, mosquitto switches to its own user, which cannot write our workdir.
            f"persistence true\npersistence_location {self._workdir}/\nuser {getpass.getuser()}\n"
            if self.persistent
            else "persistence false\n"
        )
        config.write_text(
            f"listener {self.address.port} 127.0.0.1\nallow_anonymous true\n"
            f"{persistence}{self.limits}"
        )
        self._process = subprocess.Popen(
            [self._executable, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Out of the terminal's process group: a Ctrl-C to `fleet up` must not take the
            # broker down before the services have stopped (their owner stops it last).
            start_new_session=True,
        )
        if not wait_for_port(self.address.host, self.address.port):
            self.stop()
            raise RuntimeError(f"mosquitto did not start listening on port {self.address.port}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


class EmbeddedBroker:
    """amqtt on its own event loop in a thread of this process: the fallback without Mosquitto."""

    def __init__(self, port: int | None = None) -> None:
        self.address = BrokerAddress("127.0.0.1", port or free_port())
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._broker: object | None = None

    def start(self) -> None:
        from amqtt.broker import Broker

        config = {
            "listeners": {
                "default": {"type": "tcp", "bind": f"{self.address.host}:{self.address.port}"}
            },
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
            },
        }
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="amqtt", daemon=True)
        self._thread.start()
        broker = Broker(config, loop=loop)
        asyncio.run_coroutine_threadsafe(broker.start(), loop).result(timeout=10)
        self._broker = broker

    def stop(self) -> None:
        if self._loop is None or self._broker is None:
            return
        shutdown = self._broker.shutdown()  # type: ignore[attr-defined]
        asyncio.run_coroutine_threadsafe(shutdown, self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._broker = self._loop = self._thread = None


def start_embedded_broker() -> PrivateBroker:
    """A private broker, started: Mosquitto when installed, else amqtt in-process."""
    broker: PrivateBroker = Mosquitto() if _find_mosquitto() else EmbeddedBroker()
    broker.start()
    return broker


def _find_mosquitto() -> str | None:
    # Debian installs the broker in /usr/sbin, which is not on every user's PATH.
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")
