"""Polls every service's /health/ready and /monitor/snapshot, concurrently, without blocking."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from fleet_monitor.tokens import TokenSource, TokenUnavailable
from fleet_monitor.views import Probe

_Answer = tuple[int, Any]  # HTTP status, JSON body (None when the body is not JSON)


class ServicePoller:
    """One poll of the fleet per call; a service that fails to answer becomes a Probe saying why.

    The client is shared (keep-alive to each service) and owned by the caller, which closes it.
    /monitor/snapshot wants an operator's, admin's or service's token: without `tokens`, or
    while none can be had, services show readiness only.
    """

    def __init__(
        self,
        services: dict[str, str],
        client: httpx.AsyncClient,
        tokens: TokenSource | None = None,
    ) -> None:
        self._services = services
        self._client = client
        self._tokens = tokens

    async def poll(self) -> list[Probe]:
        headers = await self._authorization()
        probes = (self._probe(n, u, headers) for n, u in self._services.items())
        return list(await asyncio.gather(*probes))

    async def _authorization(self) -> dict[str, str]:
        if self._tokens is None or not self._tokens.configured:
            return {}
        try:
            return {"Authorization": f"Bearer {await self._tokens.token()}"}
        except TokenUnavailable:
            return {}

    async def _probe(self, name: str, url: str, headers: dict[str, str]) -> Probe:
        answers: tuple[_Answer | BaseException, _Answer | BaseException] = await asyncio.gather(
            self._get(f"{url}/health/ready"),
            self._get(f"{url}/monitor/snapshot", headers),
            return_exceptions=True,
        )
        ready, snapshot = answers
        if isinstance(ready, BaseException):
            return Probe(name, url, error=_reason(ready))
        status, ready_body = ready
        if isinstance(snapshot, BaseException) or snapshot[0] != 200:
            if not isinstance(snapshot, BaseException) and snapshot[0] == 401 and self._tokens:
                self._tokens.forget()  # expired or revoked: the next poll fetches a new one
            return Probe(name, url, status, ready_body, None)
        return Probe(name, url, status, ready_body, snapshot[1])

    async def _get(self, url: str, headers: dict[str, str] | None = None) -> _Answer:
        response = await self._client.get(url, headers=headers)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused"
    return f"{type(exc).__name__}: {exc}"[:200]
