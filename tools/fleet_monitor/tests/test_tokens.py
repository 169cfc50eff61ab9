"""The monitor's login: refusals pause its attempts (users throttles a client after five)."""

import asyncio

import httpx
from pydantic import SecretStr

from fleet_monitor.settings import Credentials, MonitorSettings
from fleet_monitor.tokens import TokenSource, TokenUnavailable

USERS = "http://users.test"


class _Users:
    """A stand-in token endpoint: refuses until `exists`, counting the attempts."""

    def __init__(self) -> None:
        self.exists = False
        self.down = False
        self.attempts = 0

    def answer(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        self.attempts += 1
        if not self.exists:
            return httpx.Response(401, json={"detail": "wrong username or password"})
        return httpx.Response(200, json={"access_token": "tok", "expires_in": 900})


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _tokens(users: _Users, clock: _Clock) -> tuple[TokenSource, httpx.AsyncClient]:
    client = httpx.AsyncClient(transport=httpx.MockTransport(users.answer))
    credentials = Credentials(
        token_url=f"{USERS}/v1/auth/token", username="operator", password=SecretStr("pw")
    )
    settings = MonitorSettings(services={"users": USERS}, credentials=credentials)
    return TokenSource(settings, client, clock=clock), client


async def _attempt(tokens: TokenSource) -> str | None:
    try:
        return await tokens.token()
    except TokenUnavailable:
        return None


async def test_after_a_refused_login_the_next_waits_one_then_two_seconds() -> None:
    users, clock = _Users(), _Clock()
    tokens, client = _tokens(users, clock)
    async with client:
        seen = []
        for elapsed in (0.0, 0.5, 1.0, 2.5, 3.0):  # every poll, each half a second or so
            clock.now = 1000.0 + elapsed
            await _attempt(tokens)
            seen.append(users.attempts)
    assert seen == [1, 1, 2, 2, 3]


async def test_once_the_account_exists_the_login_after_the_pause_succeeds() -> None:
    users, clock = _Users(), _Clock()
    tokens, client = _tokens(users, clock)
    async with client:
        await _attempt(tokens)
        users.exists = True
        clock.now += 1.0
        assert await _attempt(tokens) == "tok"


async def test_polls_waiting_together_send_one_login() -> None:
    users, clock = _Users(), _Clock()
    tokens, client = _tokens(users, clock)
    async with client:
        await asyncio.gather(*(_attempt(tokens) for _ in range(3)))
    assert users.attempts == 1


async def test_an_unreachable_users_service_does_not_pause_the_login() -> None:
    # No answer, no failed login counted by users: try again at the next poll.
    users, clock = _Users(), _Clock()
    users.down = True
    tokens, client = _tokens(users, clock)
    async with client:
        await _attempt(tokens)
        users.down, users.exists = False, True
        assert await _attempt(tokens) == "tok"
