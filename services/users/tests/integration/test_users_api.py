from __future__ import annotations

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.db import Database
from chassis.outbox import outbox_table
from contracts import topics
from users.tests.integration.conftest import Accounts


def test_me_returns_the_callers_account(client: TestClient, accounts: Accounts) -> None:
    user, auth = accounts.bearer()

    assert client.get("/v1/users/me", headers=auth).json() == user


def test_any_authenticated_caller_reads_a_user_by_id(
    client: TestClient, accounts: Accounts
) -> None:
    other = accounts.register()
    _, auth = accounts.bearer()

    response = client.get(f"/v1/users/{other['id']}", headers=auth)

    assert response.status_code == 200
    assert response.json()["username"] == other["username"]


def test_an_unknown_user_id_answers_404(client: TestClient, accounts: Accounts) -> None:
    _, auth = accounts.bearer()

    assert client.get("/v1/users/12345", headers=auth).status_code == 404


def test_reading_a_user_needs_a_token(client: TestClient, accounts: Accounts) -> None:
    other = accounts.register()

    assert client.get(f"/v1/users/{other['id']}").status_code == 401


def test_admins_list_users_by_role_page_by_page(client: TestClient, accounts: Accounts) -> None:
    _, admin = accounts.bearer("admin")
    operators = {accounts.register("operator")["id"] for _ in range(3)}

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"role": "operator", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/users", params=params, headers=admin).json()
        seen += [u["id"] for u in page["items"]]
        assert all(u["role"] == "operator" for u in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert operators <= set(seen)
    assert len(seen) == len(set(seen))


def test_a_technician_cannot_list_users(client: TestClient, accounts: Accounts) -> None:
    _, auth = accounts.bearer()

    assert client.get("/v1/users", headers=auth).status_code == 403


def test_an_operator_cannot_make_themselves_admin(client: TestClient, accounts: Accounts) -> None:
    me, auth = accounts.bearer("operator")

    response = client.patch(f"/v1/users/{me['id']}", json={"role": "admin"}, headers=auth)

    assert response.status_code == 403
    assert client.get("/v1/users/me", headers=auth).json()["role"] == "operator"


def test_user_a_cannot_patch_user_b(client: TestClient, accounts: Accounts) -> None:
    _, a = accounts.bearer()
    b = accounts.register()

    response = client.patch(f"/v1/users/{b['id']}", json={"active": False}, headers=a)

    assert response.status_code == 403


def test_an_admin_cannot_demote_themselves(client: TestClient, accounts: Accounts) -> None:
    me, admin = accounts.bearer("admin")

    response = client.patch(f"/v1/users/{me['id']}", json={"role": "technician"}, headers=admin)

    assert response.status_code == 403


def test_an_admin_changes_a_role(client: TestClient, accounts: Accounts) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()

    response = client.patch(f"/v1/users/{user['id']}", json={"role": "operator"}, headers=admin)

    assert response.status_code == 200
    assert response.json()["role"] == "operator"


def test_a_read_right_after_a_change_shows_the_change(
    client: TestClient, accounts: Accounts
) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()
    client.get(f"/v1/users/{user['id']}", headers=admin)  # now in the recent-accounts cache

    client.patch(f"/v1/users/{user['id']}", json={"role": "operator"}, headers=admin)

    assert client.get(f"/v1/users/{user['id']}", headers=admin).json()["role"] == "operator"


def test_deactivation_records_user_deactivated_in_the_outbox(
    app: FastAPI, client: TestClient, accounts: Accounts
) -> None:
    _, admin = accounts.bearer("admin")
    user = accounts.register()

    client.patch(f"/v1/users/{user['id']}", json={"active": False, "reason": "left"}, headers=admin)

    database = app.state.components.get(Database)
    with database.engine.connect() as connection:
        payloads = connection.execute(
            sa.select(outbox_table.c.payload).where(
                outbox_table.c.topic == topics.event("users", "user.deactivated")
            )
        ).scalars()
        events = [bytes(p).decode() for p in payloads]
    assert any(f'"user_id":"{user["id"]}"' in e for e in events)


def test_a_cursor_no_page_could_issue_is_a_422_naming_it(
    client: TestClient, accounts: Accounts
) -> None:
    _, admin = accounts.bearer("admin")

    response = client.get("/v1/users", params={"cursor": "abc"}, headers=admin)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.cursor"]
