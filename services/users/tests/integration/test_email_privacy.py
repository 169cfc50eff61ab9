"""Names and roles are for everyone signed in; an email only for its account and for admins."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from users.tests.integration.conftest import Accounts


def _service_token(client: TestClient) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": "devices",
        "client_secret": "devices-secret-123",
    }
    token = client.post("/v1/auth/token", data=form).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["technician", "operator", "service"])
def test_others_read_a_users_name_and_role_but_not_their_email(
    client: TestClient, accounts: Accounts, role: str
) -> None:
    other = accounts.register()
    auth = _service_token(client) if role == "service" else accounts.bearer(role)[1]

    shown = client.get(f"/v1/users/{other['id']}", headers=auth).json()

    assert (shown["username"], shown["role"]) == (other["username"], "technician")
    assert shown["email"] is None


def test_admins_read_every_users_email(client: TestClient, accounts: Accounts) -> None:
    other = accounts.register()
    _, admin = accounts.bearer("admin")

    shown = client.get(f"/v1/users/{other['id']}", headers=admin).json()

    assert shown["email"] == other["email"]


def test_a_user_reads_their_own_email_by_id_and_as_me(
    client: TestClient, accounts: Accounts
) -> None:
    user, auth = accounts.bearer()

    by_id = client.get(f"/v1/users/{user['id']}", headers=auth).json()
    me = client.get("/v1/users/me", headers=auth).json()

    assert by_id["email"] == me["email"] == user["email"] is not None


def test_registering_shows_the_new_account_its_own_email(
    client: TestClient, accounts: Accounts
) -> None:
    assert accounts.register(email="someone@example.com")["email"] == "someone@example.com"


def test_the_list_with_emails_is_for_admins_only(client: TestClient, accounts: Accounts) -> None:
    _, admin = accounts.bearer("admin")
    _, operator = accounts.bearer("operator")

    listed = client.get("/v1/users", params={"limit": 100}, headers=admin).json()["items"]

    assert client.get("/v1/users", headers=operator).status_code == 403
    assert listed
    assert all("@" in u["email"] for u in listed)
