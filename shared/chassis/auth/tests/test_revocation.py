"""Access tokens users revoked are refused before they expire, on any app with a key set."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion

from chassis.auth import InvalidToken, JwksKeySet
from chassis.auth.revocation import TOPIC
from chassis.auth.tests.conftest import StartKeys, sample_app
from chassis.mqtt import Bus, MqttSettings
from chassis.testing import BrokerAddress
from chassis.testing.tokens import TokenIssuer
from contracts import AccessRevoked, Event


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
