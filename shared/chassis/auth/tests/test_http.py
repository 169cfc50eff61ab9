"""Auth through real HTTP requests to an app built by create_app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.auth import JwksKeySet
from chassis.auth.tests.conftest import sample_app
from chassis.errors.problem import PROBLEM_JSON
from chassis.testing.tokens import TokenIssuer


@pytest.fixture
def client(token_issuer: TokenIssuer) -> Iterator[TestClient]:
    with TestClient(sample_app(JwksKeySet(token_issuer.auth_settings()))) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_reaches_the_route(client: TestClient, token_issuer: TokenIssuer) -> None:
    response = client.get("/v1/me", headers=bearer(token_issuer.mint("42", username="ada")))
    assert response.status_code == 200
    assert response.json() == {
        "id": "42",
        "role": "technician",
        "username": "ada",
        "forwards_own_token": True,
    }


def test_a_missing_token_is_a_401_problem_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.get("/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("missing bearer token")


def test_a_non_bearer_authorization_is_a_401(client: TestClient) -> None:
    response = client.get("/v1/me", headers={"Authorization": "Basic YWRhOnNlY3JldA=="})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_invalid_token_is_a_401_naming_the_reason_but_not_the_token(
    client: TestClient, token_issuer: TokenIssuer
) -> None:
    token = token_issuer.mint(aud="billing")
    response = client.get("/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    body = response.json()
    assert body["type"] == "urn:fleet:problem:invalid-token"
    assert "audience" in body["detail"]
    assert token not in response.text
    assert token not in response.headers["www-authenticate"]


def test_a_forged_alg_none_token_is_a_401(client: TestClient, token_issuer: TokenIssuer) -> None:
    response = client.get("/v1/me", headers=bearer(token_issuer.forge_unsigned(role="admin")))
    assert response.status_code == 401


def test_a_wrong_role_is_a_403_problem(client: TestClient, token_issuer: TokenIssuer) -> None:
    response = client.post("/v1/devices", headers=bearer(token_issuer.mint(role="technician")))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "operator or admin" in response.json()["detail"]


def test_an_allowed_role_passes(client: TestClient, token_issuer: TokenIssuer) -> None:
    response = client.post("/v1/devices", headers=bearer(token_issuer.mint(role="operator")))
    assert response.status_code == 200


def test_a_role_check_without_a_token_is_a_401(client: TestClient) -> None:
    assert client.post("/v1/devices").status_code == 401


def test_readiness_shows_the_loaded_keys(client: TestClient, token_issuer: TokenIssuer) -> None:
    jwks = client.get("/health/ready").json()["dependencies"]["jwks"]
    assert jwks["status"] == "up"
    assert jwks["required"] is False
    assert token_issuer.kid("EdDSA") in jwks["info"]["keys"]


def test_stays_ready_without_keys_unless_required(token_issuer: TokenIssuer) -> None:
    token_issuer.server.stop()
    with TestClient(sample_app(JwksKeySet(token_issuer.auth_settings()))) as client:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["dependencies"]["jwks"]["status"] == "down"


def test_is_not_ready_without_keys_when_required(token_issuer: TokenIssuer) -> None:
    token_issuer.server.stop()
    with TestClient(sample_app(JwksKeySet(token_issuer.auth_settings(required=True)))) as client:
        assert client.get("/health/ready").status_code == 503


def _token_url(app: FastAPI) -> str:
    schemes = TestClient(app).get("/openapi.json").json()["components"]["securitySchemes"]
    url: str = schemes["FleetBearer"]["flows"]["password"]["tokenUrl"]
    return url


def test_swagger_logs_in_at_the_token_url_of_the_auth_settings(
    token_issuer: TokenIssuer,
) -> None:
    auth = token_issuer.auth_settings(token_url="https://users.plant.example/v1/auth/token")
    assert _token_url(sample_app(JwksKeySet(auth))) == "https://users.plant.example/v1/auth/token"


def test_each_app_of_a_process_names_its_own_token_url(token_issuer: TokenIssuer) -> None:
    east = sample_app(JwksKeySet(token_issuer.auth_settings(token_url="https://east/token")))
    west = sample_app(JwksKeySet(token_issuer.auth_settings(token_url="https://west/token")))
    assert (_token_url(east), _token_url(west)) == ("https://east/token", "https://west/token")
