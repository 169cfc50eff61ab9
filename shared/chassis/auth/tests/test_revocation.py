"""Access tokens users revoked are refused before they expire, on any app with a key set."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from chassis.auth import InvalidToken, JwksKeySet, RetainedRevocations, Revocations
from chassis.auth.revocation import SNAPSHOT_TOPIC, TOPIC
from chassis.auth.tests.conftest import StartKeys, sample_app
from chassis.local import PrivateBroker
from chassis.mqtt import Bus, MqttSettings
from chassis.testing import BrokerAddress, Mosquitto
from chassis.testing.tokens import TokenIssuer
from contracts import Event
from contracts.auth import AccessRevocations, AccessRevoked


def _revoked(user_id: int, *, session_id: int | None = None) -> Event[AccessRevoked]:
    data = AccessRevoked(
        user_id=user_id,
        reason="logged_out" if session_id else "deactivated",
        revoked_at=datetime.now(UTC),
        session_id=session_id,
    )
    return Event.of(data, id=uuid.uuid4().int >> 65, source="users")


def _announce(broker: BrokerAddress, event: Event[AccessRevoked]) -> None:
    """Publish as users' outbox relay does: QoS 1, acknowledged by the broker."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"users-{uuid.uuid4().hex[:8]}")
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        client.publish(TOPIC, event.model_dump_json(), qos=1).wait_for_publish(5)
    finally:
        client.disconnect()
        client.loop_stop()


async def test_a_token_issued_before_the_revocation_is_refused_even_if_remembered(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = token_issuer.mint("7", "technician", iat=time.time() - 1)
    await keys.verify(token)

    await keys.revocations.handle(_revoked(7))

    with pytest.raises(InvalidToken, match="revoked"):
        await keys.verify(token)


async def test_a_token_issued_after_the_revocation_counts(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    await keys.revocations.handle(_revoked(7))

    principal = await keys.verify(token_issuer.mint("7", "technician", iat=time.time() + 0.01))

    assert principal.id == "7"


async def test_other_users_tokens_are_untouched(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    await keys.revocations.handle(_revoked(7))

    assert (await keys.verify(token_issuer.mint("8", "technician"))).id == "8"


async def test_an_ended_session_refuses_only_its_own_tokens(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    ended = token_issuer.mint("7", "technician", sid="41")
    other = token_issuer.mint("7", "technician", sid="42")

    await keys.revocations.handle(_revoked(7, session_id=41))

    with pytest.raises(InvalidToken, match="session"):
        await keys.verify(ended)
    assert (await keys.verify(other)).session_id == "42"


def test_an_app_with_a_bus_refuses_a_revoked_token_moments_after_the_event(
    token_issuer: TokenIssuer, mqtt_broker: BrokerAddress, mqtt_client_id: str
) -> None:
    keys = JwksKeySet(token_issuer.auth_settings())
    bus = Bus(MqttSettings(url=mqtt_broker.url, client_id=mqtt_client_id), service="sample")
    app = sample_app(keys, bus)
    user_id = uuid.uuid4().int >> 65
    auth = {"Authorization": f"Bearer {token_issuer.mint(str(user_id), iat=time.time() - 1)}"}
    with TestClient(app) as client:
        assert client.get("/v1/me", headers=auth).status_code == 200
        sent = time.monotonic()
        _announce(mqtt_broker, _revoked(user_id))
        while (status := client.get("/v1/me", headers=auth).status_code) == 200:
            assert time.monotonic() - sent < 5, "still accepted 5 s after the revocation"
            time.sleep(0.02)

    assert status == 401


def test_merging_snapshots_keeps_the_later_moment_whatever_the_order() -> None:
    now = datetime.now(UTC)
    earlier = AccessRevocations(subjects={7: now - timedelta(minutes=5)})
    later = AccessRevocations(subjects={7: now})
    one_way, other_way = Revocations(), Revocations()

    one_way.merge(earlier)
    one_way.merge(later)
    other_way.merge(later)
    other_way.merge(earlier)

    assert one_way.snapshot() == other_way.snapshot() == later


def test_merging_a_snapshot_again_teaches_nothing() -> None:
    snapshot = AccessRevocations(subjects={7: datetime.now(UTC)}, sessions={41: datetime.now(UTC)})
    revocations = Revocations()

    assert revocations.merge(snapshot)
    assert not revocations.merge(snapshot)
    assert revocations.snapshot() == snapshot


def test_a_snapshot_entry_older_than_the_remember_window_is_left_out() -> None:
    revocations = Revocations(remember=60)

    learned = revocations.merge(
        AccessRevocations(subjects={7: datetime.now(UTC) - timedelta(minutes=2)})
    )

    assert not learned
    assert revocations.snapshot() == AccessRevocations()


def _revoke_through_users(
    token_issuer: TokenIssuer, broker: BrokerAddress, client_id: str, user_id: int, token: str
) -> None:
    """Run an app in users' role (it republishes the retained snapshot) until it has handled
    `access.revoked` for `user_id` and refuses the user's `token`, then stop it."""
    keys = JwksKeySet(token_issuer.auth_settings())
    bus = Bus(MqttSettings(url=broker.url, client_id=client_id), service="users")
    app = sample_app(keys, bus, RetainedRevocations(keys.revocations, bus.publish))
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as users:
        assert users.get("/v1/me", headers=auth).status_code == 200
        _announce(broker, _revoked(user_id))
        sent = time.monotonic()
        while users.get("/v1/me", headers=auth).status_code == 200:
            assert time.monotonic() - sent < 5, "users still accepts the token 5 s after the event"
            time.sleep(0.02)


def test_an_app_started_after_a_revocation_refuses_the_token_without_hearing_the_event(
    token_issuer: TokenIssuer, private_broker: PrivateBroker, mqtt_client_id: str
) -> None:
    broker = private_broker.address  # of this test alone: no other test's retained snapshot
    user_id = uuid.uuid4().int >> 65
    token = token_issuer.mint(str(user_id), iat=time.time() - 1)
    _revoke_through_users(token_issuer, broker, f"{mqtt_client_id}-users", user_id, token)

    # Users has stopped and the event is gone; a new process, with a client id of its own:
    keys = JwksKeySet(token_issuer.auth_settings())
    bus = Bus(MqttSettings(url=broker.url, client_id=f"{mqtt_client_id}-later"), service="tasks")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(sample_app(keys, bus)) as later:
        started = time.monotonic()
        while (status := later.get("/v1/me", headers=auth).status_code) == 200:
            assert time.monotonic() - started < 5, "still accepted 5 s after the app started"
            time.sleep(0.02)

    assert status == 401


def test_the_retained_snapshot_expires_with_the_remember_window(
    token_issuer: TokenIssuer, private_broker: PrivateBroker, mqtt_client_id: str
) -> None:
    if not isinstance(private_broker, Mosquitto):
        pytest.skip("message expiry needs an MQTT 5 broker (Mosquitto is not installed)")
    user_id = uuid.uuid4().int >> 65
    token = token_issuer.mint(str(user_id), iat=time.time() - 1)
    _revoke_through_users(token_issuer, private_broker.address, mqtt_client_id, user_id, token)

    snapshot, expiry = _retained_snapshot(private_broker.address)

    assert user_id in snapshot.subjects
    assert expiry is not None
    assert 0 < expiry <= Revocations().remember


def _retained_snapshot(broker: BrokerAddress) -> tuple[AccessRevocations, int | None]:
    """The snapshot retained on the broker, and the seconds left until it expires (MQTT 5)."""
    received: list[mqtt.MQTTMessage] = []
    arrived = threading.Event()

    def on_message(client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        received.append(message)
        arrived.set()

    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"reader-{uuid.uuid4().hex[:8]}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )
    client.on_message = on_message
    client.connect(broker.host, broker.port)
    client.subscribe(SNAPSHOT_TOPIC, qos=1)
    client.loop_start()
    try:
        assert arrived.wait(5), "no retained snapshot on the broker"
    finally:
        client.disconnect()
        client.loop_stop()
    message = received[0]
    expiry = getattr(message.properties, "MessageExpiryInterval", None)
    return AccessRevocations.model_validate_json(message.payload), expiry
