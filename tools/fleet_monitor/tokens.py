"""A bearer token for the fleet's APIs: given as is, or fetched with the password grant."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
from pydantic import SecretStr

from chassis.http import DownstreamError, ServiceAccountToken
from chassis.lifecycle import Backoff
from fleet_monitor.settings import MonitorSettings

# After a refused login, the next waits 1 s, 2 s, 4 s ... up to a minute. Users throttles a
# client after 5 failures on an account: a monitor started before its account exists (`fleet
# up` starts it before the services, to receive their spans) or given a wrong password must
# not burn them at every poll, nor lock its address out of the account.
REFUSED_BACKOFF = Backoff(initial=1.0, maximum=60.0, jitter=False)


class TokenUnavailable(Exception):
    """No token: none configured, or the users service refused or did not answer."""


class TokenSource:
    """The configured token, or the password grant's (cached by the chassis until shortly
    before it expires, one fetch for parallel polls; after a refusal, none until the backoff's
    pause is over). `clock` (seconds, monotonic) is for tests that move time."""

    def __init__(
        self,
        settings: MonitorSettings,
        client: httpx.AsyncClient,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._clock = clock
        credentials = settings.credentials
        self._grant: ServiceAccountToken | None = None
        if credentials is not None:
            grant: dict[str, str | SecretStr] = {
                "grant_type": "password",
                "username": credentials.username,
                "password": credentials.password,
            }
            self._grant = ServiceAccountToken(client.post, credentials.token_url, grant)
        self._asking = asyncio.Lock()  # callers waiting together share one answer, or refusal
        self._refusals = 0
        self._next_try = 0.0

    @property
    def configured(self) -> bool:
        return self._settings.has_token_source

    async def token(self) -> str:
        if self._settings.bearer_token is not None:
            return self._settings.bearer_token.get_secret_value()
        if self._grant is None:
            raise TokenUnavailable("needs a token (--token, or --username/--password)")
        async with self._asking:
            return await self._fetch(self._grant)

    async def _fetch(self, grant: ServiceAccountToken) -> str:
        wait = self._next_try - self._clock()
        if wait > 0:
            raise TokenUnavailable(f"login refused; trying again in {wait:.0f} s")
        try:
            token = await grant()
        except httpx.HTTPError as exc:  # users is down: no failed login counted, no pause
            raise TokenUnavailable(f"token endpoint unreachable: {type(exc).__name__}") from exc
        except DownstreamError as exc:
            self._refusals += 1
            self._next_try = self._clock() + REFUSED_BACKOFF.pause(self._refusals)
            if exc.status == 200:
                raise TokenUnavailable("token endpoint answered without a token") from exc
            raise TokenUnavailable(f"token endpoint answered HTTP {exc.status}") from exc
        self._refusals = 0
        return token

    def forget(self) -> None:
        """Drop the cached token (the API said 401): the next call fetches a new one."""
        if self._grant is not None:
            self._grant.forget()
