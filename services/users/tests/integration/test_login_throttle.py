"""Login throttling through the API: it slows the client that guesses, never the account's owner."""

from __future__ import annotations

import itertools

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.testing import ServiceApps
from users.settings import UsersSettings
from users.tests.integration.conftest import PASSWORD, Accounts

WRONG = "not the password at all"
_hosts = itertools.count(1)


def an_address() -> str:
    """A client address no other test in this session uses (counts are in the shared database)."""
    return f"203.0.113.{next(_hosts)}"


def from_address(app: FastAPI, address: str) -> TestClient:
    # The app is already started (`apps.client`); this client only sends requests.
    return TestClient(app, client=(address, 40000))


def log_in(client: TestClient, username: str, password: str, **headers: str) -> int:
    form = {"username": username, "password": password}
    status: int = client.post("/v1/auth/token", data=form, headers=headers).status_code
    return status


def test_a_stranger_failing_20_times_does_not_stop_the_owner_logging_in_elsewhere(
    app: FastAPI, accounts: Accounts
) -> None:
    owner = accounts.register()["username"]
    stranger = from_address(app, an_address())
    for _ in range(20):
        log_in(stranger, owner, WRONG)

    assert log_in(from_address(app, an_address()), owner, PASSWORD) == 200


def test_the_guessing_client_is_refused_with_429_and_retry_after(
    app: FastAPI, accounts: Accounts
) -> None:
    owner = accounts.register()["username"]
    guesser = from_address(app, an_address())
    answers = [log_in(guesser, owner, WRONG) for _ in range(5)]

    refused = guesser.post("/v1/auth/token", data={"username": owner, "password": PASSWORD})

    assert answers == [401] * 5
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["Retry-After"] == "2"


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_evade_the_limit(
    app: FastAPI, accounts: Accounts
) -> None:
    owner = accounts.register()["username"]
    guesser = from_address(app, an_address())
    for n in range(5):
        log_in(guesser, owner, WRONG, **{"X-Forwarded-For": f"192.0.2.{n}"})

    assert log_in(guesser, owner, WRONG, **{"X-Forwarded-For": "192.0.2.99"}) == 429


def test_a_client_failing_on_20_accounts_is_refused_on_every_account(
    app: FastAPI, accounts: Accounts
) -> None:
    owner = accounts.register()["username"]
    sprayer = from_address(app, an_address())
    for n in range(20):
        log_in(sprayer, f"sprayed_{n}_{owner}", "Summer2030!!")

    assert log_in(sprayer, owner, PASSWORD) == 429
    assert log_in(from_address(app, an_address()), owner, PASSWORD) == 200


@pytest.fixture
def behind_proxy(apps: ServiceApps[UsersSettings]) -> FastAPI:
    app = apps.app(http={"trusted_proxies": ["10.0.0.0/8"]})
    apps.client(app)
    return app


def test_behind_a_trusted_proxy_each_forwarded_client_is_throttled_alone(
    behind_proxy: FastAPI,
) -> None:
    ingress = from_address(behind_proxy, "10.1.2.3")
    accounts = Accounts(ingress)
    owner = accounts.register()["username"]
    guesser, spoofed = an_address(), f"{an_address()}, 10.9.9.9"
    for _ in range(5):
        log_in(ingress, owner, WRONG, **{"X-Forwarded-For": guesser})

    assert log_in(ingress, owner, WRONG, **{"X-Forwarded-For": f"192.0.2.1, {guesser}"}) == 429
    assert log_in(ingress, owner, PASSWORD, **{"X-Forwarded-For": spoofed}) == 200


def test_two_instances_on_one_database_share_the_counts(
    app: FastAPI, apps: ServiceApps[UsersSettings], accounts: Accounts
) -> None:
    owner = accounts.register()["username"]
    address = an_address()
    for _ in range(5):
        log_in(from_address(app, address), owner, WRONG)

    replica = apps.app()
    apps.client(replica)
    assert log_in(from_address(replica, address), owner, WRONG) == 429
