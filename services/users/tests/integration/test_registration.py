from __future__ import annotations

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.db import Database
from chassis.outbox import outbox_table
from contracts import topics
from users.main import build
from users.settings import UsersSettings
from users.tests.integration.conftest import PASSWORD, Accounts


def _body(name: str, password: str = PASSWORD) -> dict[str, str]:
    return {"username": name, "email": f"{name}@example.com", "password": password}


def test_registration_creates_an_active_technician(client: TestClient) -> None:
    response = client.post("/v1/users", json=_body("reg_tech"))

    assert response.status_code == 201
    user = response.json()
    assert user["role"] == "technician"
    assert user["active"] is True
    assert isinstance(user["id"], str)
    assert user["id"].isdigit()
    assert "password" not in response.text
    assert "argon2" not in response.text


def test_a_taken_username_answers_409(client: TestClient, accounts: Accounts) -> None:
    taken = accounts.register()["username"]

    response = client.post("/v1/users", json=_body(taken) | {"email": "other@example.com"})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


def test_a_taken_email_answers_like_a_new_one_and_creates_nothing(
    client: TestClient, accounts: Accounts
) -> None:
    owner = accounts.register()

    taken = client.post("/v1/users", json=_body("reg_taken_email") | {"email": owner["email"]})
    new = client.post("/v1/users", json=_body("reg_new_email"))

    assert taken.status_code == new.status_code == 201
    assert taken.json().keys() == new.json().keys()
    assert taken.json()["email"] == owner["email"]
    login = {"username": "reg_taken_email", "password": PASSWORD}
    assert client.post("/v1/auth/token", data=login).status_code == 401  # nothing was created
    assert accounts.login(owner["username"])["access_token"]  # the owner's account is untouched


def test_a_taken_email_takes_as_long_as_a_new_one(settings: UsersSettings) -> None:
    # argon2 at its real parameters: the hash is what a taken email used to skip (9 vs 413 ms).
    with TestClient(build(settings)) as client:
        taken = client.post("/v1/users", json=_body("reg_timing_owner")).json()["email"]
        new_times, taken_times = [], []
        for n in range(7):  # interleaved, so a load change on the machine hits both alike
            new_times.append(_timed(client, _body(f"reg_timing_new{n}")))
            taken_times.append(_timed(client, _body(f"reg_timing_tk{n}") | {"email": taken}))

    ratio = statistics.median(taken_times) / statistics.median(new_times)
    assert 0.5 < ratio < 2, (new_times, taken_times)


def _timed(client: TestClient, body: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.post("/v1/users", json=body)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.text
    return elapsed


def test_a_short_password_answers_422_naming_the_rule(client: TestClient) -> None:
    response = client.post("/v1/users", json=_body("reg_short", "short pass"))

    assert response.status_code == 422
    assert "at least 12 characters" in response.json()["detail"]


def test_a_password_equal_to_the_username_answers_422(client: TestClient) -> None:
    response = client.post("/v1/users", json=_body("reg_samename12", "reg_samename12"))

    assert response.status_code == 422
    assert "username or the email" in response.json()["detail"]


def test_a_common_password_answers_422(client: TestClient) -> None:
    response = client.post("/v1/users", json=_body("reg_common", "password1234"))

    assert response.status_code == 422
    assert "too common" in response.json()["detail"]


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(client: TestClient) -> None:
    headers = {"Idempotency-Key": "reg-idem-1"}
    first = client.post("/v1/users", json=_body("reg_idem"), headers=headers)
    again = client.post("/v1/users", json=_body("reg_idem"), headers=headers)

    assert (again.status_code, again.content) == (201, first.content)


def test_fifty_identical_registrations_at_once_make_one_account(
    client: TestClient, accounts: Accounts
) -> None:
    name = f"reg_{uuid.uuid4().hex[:12]}"
    headers = {"Idempotency-Key": f"register-{name}"}

    with ThreadPoolExecutor(50) as pool:
        answers = list(
            pool.map(
                lambda _: client.post("/v1/users", json=_body(name), headers=headers), range(50)
            )
        )

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert accounts.login(name)["access_token"]  # the account exists, once (usernames are unique)


def test_the_same_key_with_another_body_is_refused_with_422(client: TestClient) -> None:
    headers = {"Idempotency-Key": "reg-idem-reused"}
    client.post("/v1/users", json=_body("reg_idem_a"), headers=headers)

    again = client.post("/v1/users", json=_body("reg_idem_b"), headers=headers)

    assert again.status_code == 422
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"] == "urn:fleet:problem:idempotency-key-reused"
    assert client.post("/v1/users", json=_body("reg_idem_b")).status_code == 201  # not made


def test_a_weak_password_under_a_used_key_is_refused_not_replayed(client: TestClient) -> None:
    headers = {"Idempotency-Key": "reg-idem-weak"}
    client.post("/v1/users", json=_body("reg_idem_weak"), headers=headers)

    again = client.post("/v1/users", json=_body("reg_idem_weak", "short"), headers=headers)

    assert again.status_code == 422


def test_another_callers_same_key_is_their_own(app: FastAPI, client: TestClient) -> None:
    key = {"Idempotency-Key": "reg-idem-shared"}
    elsewhere = TestClient(app, client=("10.0.0.2", 50000))  # another address, no token

    mine = client.post("/v1/users", json=_body("reg_idem_mine"), headers=key)
    theirs = elsewhere.post("/v1/users", json=_body("reg_idem_theirs"), headers=key)

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["username"] == "reg_idem_theirs"


def test_a_retry_of_a_registration_with_a_taken_email_gets_the_same_answer(
    client: TestClient, accounts: Accounts
) -> None:
    owner = accounts.register()
    body = {"username": "reg_idem_lookalike", "email": owner["email"], "password": PASSWORD}
    headers = {"Idempotency-Key": "reg-idem-lookalike"}

    first = client.post("/v1/users", json=body, headers=headers)
    again = client.post("/v1/users", json=body, headers=headers)

    # A new account's retry answers the same id: so does one that made none.
    assert (first.status_code, again.content) == (201, first.content)


def test_registration_records_user_registered_in_the_outbox(
    app: FastAPI, client: TestClient
) -> None:
    user = client.post("/v1/users", json=_body("reg_event")).json()

    database = app.state.components.get(Database)
    with database.engine.connect() as connection:
        payloads = connection.execute(
            sa.select(outbox_table.c.payload).where(
                outbox_table.c.topic == topics.event("users", "user.registered")
            )
        ).scalars()
        events = [p.decode() if isinstance(p, bytes) else str(p) for p in payloads]
    assert any(f'"user_id":"{user["id"]}"' in e for e in events)
