"""The token a process calls other services with: an OAuth2 grant, fetched once and shared.

>>> users = DownstreamClient("users-api", settings.users)
>>> token = ServiceAccountToken.client_credentials(
...     users.post, "/v1/auth/token", settings.account.client_id, settings.account.client_secret
... )
>>> tasks = DownstreamClient("tasks-api", settings.tasks, token_provider=token)

The token is reused until shortly before it expires; parallel callers share one fetch; a
DownstreamClient whose call answers 401 drops it and retries once with a fresh one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol, Self

import httpx
from pydantic import SecretStr

from chassis.http.errors import DownstreamError

EARLY = 30.0
"""Seconds before its expiry a cached token is replaced (clock skew, a slow call)."""


class FormPost(Protocol):
    """Posts the grant form: `DownstreamClient.post` (a path under its base URL, with its breaker
    and deadline) or `httpx.AsyncClient.post` (any URL)."""

    async def __call__(self, url: str, /, *, data: Mapping[str, str]) -> httpx.Response: ...


class ServiceAccountToken:
    """A `TokenProvider`: the bearer token of an OAuth2 grant, cached until shortly before expiry.

    `post(token_url, data=grant)` asks for it; SecretStr values of `grant` are revealed only
    there. `clock` (seconds, monotonic) is for tests that move time.

    `await token()` returns the cached token, or fetches one (one fetch however many callers wait
    for it). It is replaced `early` seconds before the `expires_in` the endpoint gave (at half
    its lifetime when that is shorter); `forget(token)` drops it when a service refused it.

    A failed fetch raises what `post` raised (DownstreamError from a DownstreamClient,
    httpx.HTTPError from httpx), or DownstreamError for an answer other than 200 with a token.
    """

    def __init__(
        self,
        post: FormPost,
        token_url: str,
        grant: Mapping[str, str | SecretStr],
        *,
        early: float = EARLY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self._post = post
        self._grant = dict(grant)
        self._early = early
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._fetching = asyncio.Lock()

    @classmethod
    def client_credentials(
        cls, post: FormPost, token_url: str, client_id: str, client_secret: SecretStr | str
    ) -> Self:
        """A service account's token: `grant_type=client_credentials`. (Other grants: pass the
        form as `grant`, e.g. `{"grant_type": "password", "username": ..., "password": ...}`.)"""
        grant = {"grant_type": "client_credentials", "client_id": client_id}
        return cls(post, token_url, {**grant, "client_secret": client_secret})

    async def __call__(self) -> str:
        token = self._cached()
        if token is not None:
            return token
        async with self._fetching:
            # Whoever waited for the lock finds the token its holder fetched.
            return self._cached() or await self._fetch()

    def forget(self, token: str | None = None) -> None:
        """Drop the cached token (a service answered 401 to `token`): the next call fetches one.

        A `token` that is no longer the cached one changes nothing, so callers refused together
        cause one fetch, not one each."""
        if token is None or token == self._token:
            self._token = None

    def _cached(self) -> str | None:
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        return None

    async def _fetch(self) -> str:
        form = {
            name: value.get_secret_value() if isinstance(value, SecretStr) else value
            for name, value in self._grant.items()
        }
        asked_at = self._clock()
        response = await self._post(self.token_url, data=form)
        token, lifetime = _granted(self.token_url, response)
        self._token = token
        self._renew_at = asked_at + max(lifetime - self._early, lifetime / 2)
        return token


def _granted(token_url: str, response: httpx.Response) -> tuple[str, float]:
    """The token and its lifetime in seconds (60 when the endpoint does not say)."""
    status = response.status_code
    if status != 200:
        detail = f"POST {token_url} answered {status}"
        raise DownstreamError("token endpoint", detail, status=status, response=response)
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        detail = f"POST {token_url} answered 200 without an access_token"
        raise DownstreamError("token endpoint", detail, status=status, response=response)
    return body["access_token"], float(body.get("expires_in", 60))
