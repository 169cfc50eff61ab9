"""Every forged or stale token is refused by the service's own endpoints (401 problem+json)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from fastapi import FastAPI
from fastapi.testclient import TestClient

from users.adapters.signing_keys import SigningKeys
from users.tests.integration.conftest import Accounts


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return _b64(json.dumps(value, separators=(",", ":")).encode())

    return f"{part(header)}.{part(claims)}"


def _claims(user: dict[str, Any], **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": "fleet-users",
        "aud": "fleet",
        "sub": user["id"],
        "role": "admin",
        "username": user["username"],
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=15)).timestamp()),
    }
    return claims | changes


def _me(client: TestClient, token: str) -> int:
    response = client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.headers["content-type"].startswith("application/")
    status: int = response.status_code
    return status


@pytest.fixture
def keys(app: FastAPI, client: TestClient) -> SigningKeys:
    found: SigningKeys = app.state.components.get(SigningKeys)
    return found


@pytest.fixture
def user(accounts: Accounts) -> dict[str, Any]:
    return accounts.register()


def _signed(keys: SigningKeys, claims: dict[str, Any]) -> str:
    return keys.sign(claims)


def test_a_well_formed_token_is_accepted(client: TestClient, keys: SigningKeys, user: Any) -> None:
    assert _me(client, _signed(keys, _claims(user))) == 200


def test_alg_none_is_refused(client: TestClient, keys: SigningKeys, user: Any) -> None:
    token = _unsigned({"alg": "none", "kid": keys.current.kid}, _claims(user)) + "."

    assert _me(client, token) == 401


def test_hs256_signed_with_the_public_key_is_refused(
    client: TestClient, keys: SigningKeys, user: Any
) -> None:
    public = keys.jwks()["keys"][0]["x"].encode()
    signing_input = _unsigned(
        {"alg": "HS256", "kid": keys.current.kid, "typ": "JWT"}, _claims(user)
    )
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()

    assert _me(client, f"{signing_input}.{_b64(signature)}") == 401


def test_an_unknown_kid_is_refused(client: TestClient, user: Any) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(_claims(user), stranger, algorithm="EdDSA", headers={"kid": "elsewhere"})

    assert _me(client, token) == 401


def test_a_bad_signature_is_refused(client: TestClient, keys: SigningKeys, user: Any) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(
        _claims(user), stranger, algorithm="EdDSA", headers={"kid": keys.current.kid}
    )

    assert _me(client, token) == 401


def test_an_expired_token_is_refused(client: TestClient, keys: SigningKeys, user: Any) -> None:
    past = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())

    assert _me(client, _signed(keys, _claims(user, exp=past, iat=past - 900))) == 401


def test_a_wrong_audience_is_refused(client: TestClient, keys: SigningKeys, user: Any) -> None:
    assert _me(client, _signed(keys, _claims(user, aud="elsewhere"))) == 401


def test_a_wrong_issuer_is_refused(client: TestClient, keys: SigningKeys, user: Any) -> None:
    assert _me(client, _signed(keys, _claims(user, iss="someone-else"))) == 401


def test_a_missing_token_is_refused(client: TestClient) -> None:
    response = client.get("/v1/users/me")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
