"""The JWKS document: what every other service verifies our tokens with, across a rotation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chassis.testing import ServiceApps
from users.main import cli
from users.settings import UsersSettings
from users.tests.integration.conftest import Accounts


def _kids(client: TestClient) -> list[str]:
    return [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]


def _rotate(settings: UsersSettings) -> None:
    keys_dir = str(settings.tokens.keys_dir)
    result = CliRunner().invoke(cli, ["rotate-keys"], env={"USERS__TOKENS__KEYS_DIR": keys_dir})
    assert result.exit_code == 0, result.output


@pytest.fixture
def rotated(
    apps: ServiceApps[UsersSettings], settings: UsersSettings
) -> Iterator[tuple[TestClient, str, str]]:
    """A service restarted after `rotate-keys`, with the kids before and after the rotation."""
    with apps.started(settings) as client:
        (before,) = _kids(client)
    _rotate(settings)
    with apps.started(settings) as client:
        (after, _) = _kids(client)
        yield client, before, after


def test_before_any_rotation_one_key_is_published(client: TestClient) -> None:
    assert len(_kids(client)) == 1


def test_after_a_rotation_the_current_and_the_previous_key_are_published(
    rotated: tuple[TestClient, str, str],
) -> None:
    client, before, after = rotated

    assert after != before
    assert _kids(client) == [after, before]


def test_every_published_key_is_a_public_ed25519_signing_key(
    rotated: tuple[TestClient, str, str],
) -> None:
    client, _, _ = rotated
    keys: list[dict[str, Any]] = client.get("/.well-known/jwks.json").json()["keys"]

    for key in keys:
        assert key.keys() == {"kid", "alg", "use", "kty", "crv", "x"}  # "d" would be private
        assert (key["alg"], key["use"], key["kty"], key["crv"]) == (
            "EdDSA",
            "sig",
            "OKP",
            "Ed25519",
        )


def test_new_tokens_are_signed_with_the_current_key(
    rotated: tuple[TestClient, str, str],
) -> None:
    client, _, after = rotated
    _, auth = Accounts(client).bearer()

    assert _header_kid(auth["Authorization"].removeprefix("Bearer ")) == after


def test_a_token_signed_before_the_rotation_still_verifies_after_it(
    apps: ServiceApps[UsersSettings], settings: UsersSettings
) -> None:
    with apps.started(settings) as client:
        user, auth = Accounts(client).bearer()
    _rotate(settings)
    with apps.started(settings) as client:
        response = client.get("/v1/users/me", headers=auth)

    assert response.status_code == 200
    assert response.json()["id"] == user["id"]


def _header_kid(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid
