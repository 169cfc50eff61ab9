"""A service account's token, fetched from a real token endpoint (a local HTTP server)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from chassis.http import DownstreamClient, DownstreamError, ServiceAccountToken
from chassis.http.tests.downstreams import ClientFactory, fast_settings
from chassis.testing import FlakyServer

TOKEN_PATH = "/v1/auth/token"


class Clock:
    """Time the test moves by hand: expiry is checked without waiting for it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def grants(server: FlakyServer, token: str, expires_in: float = 900) -> None:
    """From now on the token endpoint answers with `token`."""
    server.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": expires_in})


@pytest.fixture
def token_server() -> Iterator[FlakyServer]:
    with FlakyServer() as server:
        grants(server, "t1")
        yield server


@pytest.fixture
async def users(token_server: FlakyServer) -> AsyncIterator[DownstreamClient]:
    client = DownstreamClient(f"users-{uuid.uuid4().hex[:8]}", fast_settings(token_server.url))
    await client.start()
    yield client
    await client.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def token(users: DownstreamClient, clock: Clock) -> ServiceAccountToken:
    return ServiceAccountToken(
        users.post,
        TOKEN_PATH,
        {"grant_type": "client_credentials", "client_id": "devices", "client_secret": "s3cret"},
        clock=clock,
    )


@pytest.fixture
async def tasks(make_client: ClientFactory, token: ServiceAccountToken) -> DownstreamClient:
    """A client of the flaky server (standing in for tasks) calling with the account's token."""
    return await make_client(tokens=token)


async def test_posts_the_client_credentials_form_to_the_token_url(
    users: DownstreamClient, token_server: FlakyServer
) -> None:
    token = ServiceAccountToken.client_credentials(
        users.post, TOKEN_PATH, "devices", SecretStr("s3cret")
    )

    assert await token() == "t1"

    [request] = token_server.requests
    assert (request.method, request.target) == ("POST", TOKEN_PATH)
    assert parse_qs(request.body.decode()) == {
        "grant_type": ["client_credentials"],
        "client_id": ["devices"],
        "client_secret": ["s3cret"],
    }


async def test_reuses_the_token_while_it_is_fresh(
    token: ServiceAccountToken, token_server: FlakyServer
) -> None:
    assert [await token() for _ in range(5)] == ["t1"] * 5
    assert len(token_server.requests) == 1


async def test_fetches_a_new_token_30_seconds_before_expiry(
    token: ServiceAccountToken, token_server: FlakyServer, clock: Clock
) -> None:
    await token()  # expires_in 900
    grants(token_server, "t2")

    clock.now += 869
    assert await token() == "t1"
    clock.now += 1
    assert await token() == "t2"
    assert len(token_server.requests) == 2


async def test_a_short_lived_token_is_replaced_at_half_its_lifetime(
    token: ServiceAccountToken, token_server: FlakyServer, clock: Clock
) -> None:
    grants(token_server, "short", expires_in=40)
    await token()
    grants(token_server, "next")

    clock.now += 19
    assert await token() == "short"
    clock.now += 1
    assert await token() == "next"


async def test_parallel_callers_share_one_fetch(
    token: ServiceAccountToken, token_server: FlakyServer
) -> None:
    token_server.stall(0.3)  # every caller arrives while the first fetch is in flight

    got = await asyncio.gather(*(token() for _ in range(20)))

    assert got == ["t1"] * 20
    assert len(token_server.requests) == 1


async def test_forgetting_a_token_already_replaced_keeps_the_new_one(
    token: ServiceAccountToken, token_server: FlakyServer
) -> None:
    await token()
    grants(token_server, "t2")
    token.forget("t1")
    assert await token() == "t2"

    token.forget("t1")  # a second caller refused with t1, late

    assert await token() == "t2"
    assert len(token_server.requests) == 2


async def test_a_call_answered_401_is_sent_again_once_with_a_new_token(
    tasks: DownstreamClient,
    token: ServiceAccountToken,
    token_server: FlakyServer,
    flaky_server: FlakyServer,
) -> None:
    await token()  # cached: t1, which tasks no longer takes
    grants(token_server, "t2")
    flaky_server.fail(401)

    response = await tasks.post("/v1/tasks", json={"title": "pump"})

    assert response.status_code == 200
    sent = [r.headers["authorization"] for r in flaky_server.requests]
    assert sent == ["Bearer t1", "Bearer t2"]
    assert len(token_server.requests) == 2


async def test_a_new_token_refused_too_raises_the_401(
    tasks: DownstreamClient, token_server: FlakyServer, flaky_server: FlakyServer
) -> None:
    flaky_server.fail(401, times=3)

    with pytest.raises(DownstreamError) as refused:
        await tasks.get("/v1/tasks")

    assert refused.value.status == 401
    assert len(flaky_server.requests) == 2
    assert len(token_server.requests) == 2


async def test_a_callers_own_token_is_never_replaced(
    tasks: DownstreamClient, token_server: FlakyServer, flaky_server: FlakyServer
) -> None:
    flaky_server.fail(401)

    with pytest.raises(DownstreamError):
        await tasks.get("/v1/tasks", token="caller-jwt")

    assert len(flaky_server.requests) == 1
    assert token_server.requests == []


async def test_a_refused_grant_raises_with_the_endpoints_status(
    token_server: FlakyServer,
) -> None:
    token_server.answer(401, {"detail": "invalid client"})
    async with httpx.AsyncClient() as client:
        grant = {"grant_type": "password", "username": "monitor", "password": "wrong"}
        token = ServiceAccountToken(client.post, f"{token_server.url}{TOKEN_PATH}", grant)

        with pytest.raises(DownstreamError) as refused:
            await token()

    assert refused.value.status == 401
    assert b"grant_type=password" in token_server.requests[0].body


async def test_an_answer_without_a_token_is_an_error_not_a_token(
    token: ServiceAccountToken, token_server: FlakyServer
) -> None:
    token_server.answer(200, {"token_type": "bearer"})

    with pytest.raises(DownstreamError, match="without an access_token"):
        await token()
