"""The committed broker ACL on a real Mosquitto: each service hears what it subscribes to (the
events it consumes, the identity service's revocations as the chassis follows them, its clients'
topics) and nothing else, and no account writes where it should not."""

from __future__ import annotations

import getpass
import queue
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from paho.mqtt.client import Client, MQTTMessage, topic_matches_sub
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from chassis.auth.revocation import SNAPSHOT_TOPIC, TOPIC
from chassis.local import free_port, wait_for_port
from contracts import topics
from fleet.descriptor import Mqtt, descriptors, in_start_order

ROOT = Path.cwd()  # the sandbox's root: the files this target depends on
ACL = ROOT / "docker" / "mosquitto" / "acl"
FLEET = in_start_order(descriptors(ROOT))
MQTT: dict[str, Mqtt] = {d.name: d.mqtt for d in FLEET if d.mqtt}
IDENTITY = next(d.name for d in FLEET if d.identity)
# A test-only account that reads and writes everything: it sees what the others could write.
OBSERVER = "acl-test-observer"
DONE = "fleet/acl-test/done"
# Client accounts (devices) are named after their clients' ids.
CLIENT, OTHER_CLIENT = "42", "43"


class Account:
    """One connection under an account's name (the ACL's `user`; no password file here)."""

    def __init__(self, port: int, username: str) -> None:
        self.heard: queue.Queue[str] = queue.Queue()
        self._subacks = threading.Condition()
        self._subacked: set[int] = set()
        self._client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"acl-test-{uuid.uuid4().hex[:8]}",
            protocol=MQTTProtocolVersion.MQTTv5,
        )
        self._client.username_pw_set(username)
        self._client.on_message = self._message
        self._client.on_subscribe = self._suback
        self._client.connect("127.0.0.1", port)
        self._client.loop_start()

    def _message(self, _client: Client, _userdata: object, message: MQTTMessage) -> None:
        self.heard.put(message.topic)

    def _suback(self, _client: Client, _userdata: object, mid: int, *_: object) -> None:
        with self._subacks:
            self._subacked.add(mid)
            self._subacks.notify_all()

    def subscribe(self, *filters: str) -> None:
        """Subscribe, and return once the broker has answered (granted or refused)."""
        for topic_filter in filters:
            _, mid = self._client.subscribe(topic_filter, qos=1)
            assert mid is not None
            assert self._answered(mid), f"no SUBACK for {topic_filter}"

    def _answered(self, mid: int) -> bool:
        with self._subacks:
            return self._subacks.wait_for(lambda: mid in self._subacked, timeout=5)

    def publish(self, topic: str, payload: bytes = b"x", *, retain: bool = False) -> None:
        """Publish and wait for the broker's PUBACK (sent for refused messages too)."""
        self._client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(timeout=5)

    def heard_before(self, until: str) -> list[str]:
        """The topics heard, in order, until a message on `until` arrives (within 5 s)."""
        heard = []
        while (topic := self.heard.get(timeout=5)) != until:
            heard.append(topic)
        return heard

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()
        # paho closes its wake-up socket pair in __del__: with the callbacks (bound to this
        # account) gone, no reference cycle leaves that to the collector, whose order warns.
        self._client.on_message = self._client.on_subscribe = None


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Mosquitto with the committed ACL, plus the observer's account."""
    mosquitto = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin")
    if mosquitto is None:
        pytest.skip("needs Mosquitto (apt-get install mosquitto): amqtt reads no ACL file")
    folder = tmp_path_factory.mktemp("mosquitto")
    (folder / "acl").write_text(ACL.read_text() + f"\nuser {OBSERVER}\ntopic readwrite #\n")
    chosen = free_port()
    # Started as root, mosquitto would switch to its own user, which cannot read our folder.
    (folder / "mosquitto.conf").write_text(
        f"listener {chosen} 127.0.0.1\nallow_anonymous true\nacl_file {folder / 'acl'}\n"
        f"user {getpass.getuser()}\n"
    )
    broker = subprocess.Popen(
        [mosquitto, "-c", str(folder / "mosquitto.conf")], stderr=subprocess.DEVNULL
    )
    try:
        assert wait_for_port("127.0.0.1", chosen), "mosquitto did not start"
        yield chosen
    finally:
        broker.terminate()
        broker.wait(timeout=10)


@pytest.fixture
def accounts(port: int) -> Iterator[dict[str, Account]]:
    """A connection per service account, two client accounts and the observer."""
    names = [*MQTT, CLIENT, OTHER_CLIENT, OBSERVER]
    opened = {name: Account(port, name) for name in names}
    yield opened
    for account in opened.values():
        account.close()


def _events() -> list[tuple[str, str]]:
    """Every event of the fleet but the revocations (the tests' end marks): (publisher, topic)."""
    found = [(n, topics.event(n, t)) for n, mqtt in MQTT.items() for t in mqtt.publishes]
    return [(n, topic) for n, topic in found if topic != TOPIC]


def _clients_topics(access: str, client: str) -> list[str]:
    """The topics the clients' patterns let `client` read or write (`+` levels as `7`)."""
    rules = [rule.split() for mqtt in MQTT.values() for rule in mqtt.patterns]
    found = [topic for how, topic in rules if how in (access, "readwrite")]
    return [topic.replace("%u", client).replace("+", "7") for topic in found]


def test_the_fleet_has_an_identity_and_its_clients_topics() -> None:
    assert IDENTITY in MQTT
    assert _clients_topics("read", CLIENT)
    assert _clients_topics("write", CLIENT)


@pytest.mark.parametrize("name", list(MQTT))
def test_a_service_hears_the_events_it_consumes_and_no_other(
    name: str, accounts: dict[str, Account]
) -> None:
    consumed = {topic for _, topic in _events() if topic.rsplit("/", 1)[1] in MQTT[name].consumes}
    accounts[name].subscribe(TOPIC, *(topic for _, topic in _events()))
    for publisher, topic in _events():
        accounts[publisher].publish(topic)
    accounts[IDENTITY].publish(TOPIC)
    assert sorted(accounts[name].heard_before(TOPIC)) == sorted(consumed - {TOPIC})


@pytest.mark.parametrize("name", list(MQTT))
def test_every_service_follows_the_identity_services_revocations(
    name: str, accounts: dict[str, Account]
) -> None:
    accounts[IDENTITY].publish(SNAPSHOT_TOPIC, b"snapshot", retain=True)
    try:
        accounts[name].subscribe(TOPIC, SNAPSHOT_TOPIC)  # as chassis.auth.revocation does
        accounts[IDENTITY].publish(TOPIC)
        assert accounts[name].heard_before(TOPIC) == [SNAPSHOT_TOPIC]
    finally:
        accounts[IDENTITY].publish(SNAPSHOT_TOPIC, b"", retain=True)  # no longer retained


@pytest.mark.parametrize("name", list(MQTT))
def test_a_service_writes_only_its_own_events_dead_letters_and_topics(
    name: str, accounts: dict[str, Account]
) -> None:
    others = [n for n in MQTT if n != name]
    refused = [topic for publisher, topic in _events() if publisher != name]
    refused += [topics.dead_letters(n) for n in others]
    refused += [TOPIC, SNAPSHOT_TOPIC] if name != IDENTITY else []
    refused += _clients_topics("write", CLIENT)
    allowed = [topic for publisher, topic in _events() if publisher == name]
    allowed += [topics.dead_letters(name)]
    accounts[OBSERVER].subscribe("fleet/#")
    for topic in refused + allowed:
        accounts[name].publish(topic)
    accounts[OBSERVER].publish(DONE)
    assert accounts[OBSERVER].heard_before(DONE) == allowed


def test_a_clients_topics_reach_the_service_reading_them_and_no_client_writes_anothers(
    accounts: dict[str, Account],
) -> None:
    readers = {n: [f for f in mqtt.read if not f.startswith("$")] for n, mqtt in MQTT.items()}
    for name, filters in readers.items():
        accounts[name].subscribe(TOPIC, *filters)
    written = _clients_topics("write", CLIENT)
    for topic in written:
        accounts[CLIENT].publish(topic)
        accounts[OTHER_CLIENT].publish(topic)  # not its own: refused
    accounts[IDENTITY].publish(TOPIC)
    heard = [t for name in readers for t in accounts[name].heard_before(TOPIC)]
    assert sorted(heard) == sorted(written)


def test_a_client_hears_only_its_own_topics_from_the_service_writing_them(
    accounts: dict[str, Account],
) -> None:
    ours, theirs = _clients_topics("read", CLIENT), _clients_topics("read", OTHER_CLIENT)
    writers = [n for topic in ours for n, m in MQTT.items() if _writes(m, topic)]
    assert len(writers) == len(ours), "a client's topic no service writes"
    accounts[CLIENT].subscribe(*(t.replace(CLIENT, "+") for t in ours))
    for writer, mine, other in zip(writers, ours, theirs, strict=True):
        accounts[writer].publish(other)  # heard before its pair, were it let through
        accounts[writer].publish(mine)
    assert [accounts[CLIENT].heard.get(timeout=5) for _ in ours] == ours


def _writes(mqtt: Mqtt, topic: str) -> bool:
    return any(topic_matches_sub(f, topic) for f in mqtt.write)
