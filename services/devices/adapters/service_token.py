"""The service token devices calls tasks with: users' client-credentials grant, cached.

`DownstreamClient` sends JSON only, and the token endpoint takes an OAuth2 form, so the users
client posts the form itself through the client's connection and circuit breaker. It is not
retried here: the alarm-task loop that needs the token retries the whole call later.
"""

from __future__ import annotations

import time

import httpx

from chassis.http import DownstreamClient, DownstreamError, DownstreamSettings
from devices.settings import ServiceAccount

_EARLY = 30.0
"""Seconds before its expiry a cached token is replaced (clock skew, a slow call)."""


class UsersClient(DownstreamClient):
    def __init__(self, settings: DownstreamSettings) -> None:
        super().__init__("users-api", settings)

    async def client_credentials(self, client_id: str, secret: str) -> tuple[str, float]:
        """A token for the service account and its lifetime in seconds."""
        if self._client is None:
            raise RuntimeError("users-api is not started; register it with create_app")
        form = {"grant_type": "client_credentials", "client_id": client_id}
        form["client_secret"] = secret
        try:
            with self.breaker.attempt():
                response = await self._client.post("/v1/auth/token", data=form)
                if response.status_code >= 500:  # counts against the breaker; 4xx does not
                    raise DownstreamError(self.name, "POST /v1/auth/token", status=500)
        except httpx.HTTPError as exc:
            raise DownstreamError(self.name, f"POST /v1/auth/token: {exc!r}") from exc
        if response.status_code != 200:
            detail = f"POST /v1/auth/token answered {response.status_code}"
            raise DownstreamError(self.name, detail, status=response.status_code)
        body = response.json()
        return str(body["access_token"]), float(body["expires_in"])


class ServiceToken:
    """A token provider for `TasksClient`: fetched once, reused until shortly before expiry."""

    def __init__(self, users: UsersClient, account: ServiceAccount) -> None:
        self.users = users
        self.account = account
        self._token: str | None = None
        self._renew_at = 0.0

    async def __call__(self) -> str | None:
        if self._token is None or time.monotonic() >= self._renew_at:
            secret = self.account.client_secret.get_secret_value()
            token, lifetime = await self.users.client_credentials(self.account.client_id, secret)
            self._token = token
            self._renew_at = time.monotonic() + max(lifetime - _EARLY, lifetime / 2)
        return self._token

    def forget(self) -> None:
        """Drop the cached token (tasks refused it: fetch a new one next time)."""
        self._token = None
