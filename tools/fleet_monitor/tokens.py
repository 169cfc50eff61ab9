"""A bearer token for the fleet's APIs: given as is, or fetched with the password grant."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from chassis.http import DownstreamError, ServiceAccountToken
from fleet_monitor.settings import MonitorSettings


class TokenUnavailable(Exception):
    """No token: none configured, or the users service refused or did not answer."""


class TokenSource:
    """The configured token, or the password grant's (cached by the chassis until shortly
    before it expires, one fetch for parallel polls)."""

    def __init__(self, settings: MonitorSettings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        credentials = settings.credentials
        self._grant: ServiceAccountToken | None = None
        if credentials is not None:
            grant: dict[str, str | SecretStr] = {
                "grant_type": "password",
                "username": credentials.username,
                "password": credentials.password,
            }
            self._grant = ServiceAccountToken(client.post, credentials.token_url, grant)

    @property
    def configured(self) -> bool:
        return self._settings.has_token_source

    async def token(self) -> str:
        if self._settings.bearer_token is not None:
            return self._settings.bearer_token.get_secret_value()
        if self._grant is None:
            raise TokenUnavailable("needs a token (--token, or --username/--password)")
        try:
            return await self._grant()
        except httpx.HTTPError as exc:
            raise TokenUnavailable(f"token endpoint unreachable: {type(exc).__name__}") from exc
        except DownstreamError as exc:
            if exc.status == 200:
                raise TokenUnavailable("token endpoint answered without a token") from exc
            raise TokenUnavailable(f"token endpoint answered HTTP {exc.status}") from exc

    def forget(self) -> None:
        """Drop the cached token (the API said 401): the next call fetches a new one."""
        if self._grant is not None:
            self._grant.forget()
