"""A bearer token for the fleet's APIs: given as is, or fetched with the password grant."""

from __future__ import annotations

import time

import httpx

from fleet_monitor.settings import MonitorSettings

# Fetch a new token this long before the old one expires, so no poll goes out with a dead one.
_EARLY = 30.0


class TokenUnavailable(Exception):
    """No token: none configured, or the users service refused or did not answer."""


class TokenSource:
    def __init__(self, settings: MonitorSettings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client
        self._token: str | None = None
        self._expires_at = 0.0

    @property
    def configured(self) -> bool:
        return self._settings.has_token_source

    async def token(self) -> str:
        if self._settings.bearer_token is not None:
            return self._settings.bearer_token.get_secret_value()
        if self._token is None or time.monotonic() >= self._expires_at:
            await self._fetch()
        if self._token is None:
            raise TokenUnavailable("no token")
        return self._token

    def forget(self) -> None:
        """Drop the cached token (the API said 401): the next call fetches a new one."""
        self._token = None

    async def _fetch(self) -> None:
        credentials = self._settings.credentials
        if credentials is None:
            raise TokenUnavailable("needs a token (--token, or --username/--password)")
        form = {
            "grant_type": "password",
            "username": credentials.username,
            "password": credentials.password.get_secret_value(),
        }
        try:
            response = await self._client.post(credentials.token_url, data=form)
        except httpx.HTTPError as exc:
            raise TokenUnavailable(f"token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise TokenUnavailable(f"token endpoint answered HTTP {response.status_code}")
        body = response.json()
        self._token = str(body["access_token"])
        self._expires_at = time.monotonic() + max(0.0, float(body.get("expires_in", 60)) - _EARLY)
