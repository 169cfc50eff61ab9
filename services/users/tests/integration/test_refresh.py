from __future__ import annotations

from fastapi.testclient import TestClient

from users.tests.integration.conftest import Accounts


def _refresh(client: TestClient, token: str) -> int:
    status: int = client.post("/v1/auth/refresh", json={"refresh_token": token}).status_code
    return status


def test_refresh_returns_a_new_pair_and_uses_up_the_old_token(
    client: TestClient, accounts: Accounts
) -> None:
    first = accounts.login(accounts.register()["username"])

    response = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})

    assert response.status_code == 200
    assert response.json()["refresh_token"] != first["refresh_token"]
    assert response.json()["access_token"]


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(
    client: TestClient, accounts: Accounts
) -> None:
    first = accounts.login(accounts.register()["username"])["refresh_token"]
    second = client.post("/v1/auth/refresh", json={"refresh_token": first}).json()["refresh_token"]

    assert _refresh(client, first) == 401  # the reuse: a thief or a confused client
    assert _refresh(client, second) == 401  # the legitimate newer token is revoked too


def test_logout_revokes_the_session(client: TestClient, accounts: Accounts) -> None:
    refresh = accounts.login(accounts.register()["username"])["refresh_token"]

    response = client.post("/v1/auth/logout", json={"refresh_token": refresh})

    assert response.status_code == 204
    assert _refresh(client, refresh) == 401


def test_a_deactivated_users_refresh_fails(client: TestClient, accounts: Accounts) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()
    refresh = accounts.login(user["username"])["refresh_token"]

    client.patch(f"/v1/users/{user['id']}", json={"active": False}, headers=admin)

    assert _refresh(client, refresh) == 401


def test_an_unknown_refresh_token_answers_401(client: TestClient) -> None:
    assert _refresh(client, "not-a-token") == 401
