from __future__ import annotations

import jwt
from fastapi.testclient import TestClient

from chassis.auth import AuthSettings
from users.tests.integration.conftest import PASSWORD, Accounts


def test_login_issues_an_eddsa_token_the_chassis_verifier_accepts(
    client: TestClient, accounts: Accounts
) -> None:
    user = accounts.register()
    tokens = accounts.login(user["username"])

    header = jwt.get_unverified_header(tokens["access_token"])
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    defaults = AuthSettings()
    assert header["alg"] == "EdDSA"
    assert header["kid"]
    assert claims["iss"] == defaults.issuer
    assert claims["aud"] == defaults.audience
    assert claims["sub"] == user["id"]
    assert (claims["role"], claims["username"]) == ("technician", user["username"])
    assert 14 * 60 <= claims["exp"] - claims["iat"] <= 15 * 60
    assert tokens["token_type"] == "bearer"
    assert tokens["refresh_token"]


def test_unknown_user_and_wrong_password_get_the_same_401(
    client: TestClient, accounts: Accounts
) -> None:
    user = accounts.register()

    wrong = client.post("/v1/auth/token", data={"username": user["username"], "password": "x" * 14})
    unknown = client.post("/v1/auth/token", data={"username": "nobody_here", "password": PASSWORD})

    assert wrong.status_code == unknown.status_code == 401
    drop = {"instance", "correlation_id"}
    assert {k: v for k, v in wrong.json().items() if k not in drop} == {
        k: v for k, v in unknown.json().items() if k not in drop
    }


def test_a_deactivated_user_cannot_log_in(client: TestClient, accounts: Accounts) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()
    client.patch(f"/v1/users/{user['id']}", json={"active": False}, headers=admin)

    response = client.post(
        "/v1/auth/token", data={"username": user["username"], "password": PASSWORD}
    )

    assert response.status_code == 401


def test_a_service_account_gets_a_service_token(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "devices",
            "client_secret": "devices-secret-123",
        },
    )

    assert response.status_code == 200
    body = response.json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"]) == ("devices", "service")
    assert body["refresh_token"] is None


def test_a_wrong_service_secret_answers_401(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": "devices", "client_secret": "no"},
    )

    assert response.status_code == 401


def test_a_password_grant_without_a_password_answers_400(client: TestClient) -> None:
    response = client.post("/v1/auth/token", data={"username": "someone"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
