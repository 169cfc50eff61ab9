"""Polls every service's /health/ready and /monitor/snapshot, concurrently, without blocking."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from fleet_monitor.views import Probe

_Answer = tuple[int, Any]  # HTTP status, JSON body (None when the body is not JSON)


class ServicePoller:
    """One poll of the fleet per call; a service that fails to answer becomes a Probe saying why.

    The client is shared (keep-alive to each service) and owned by the caller, which closes it.
    """

    def __init__(self, services: dict[str, str], client: httpx.AsyncClient) -> None:
        self._services = services
        self._client = client

    async def poll(self) -> list[Probe]:
        return list(await asyncio.gather(*(self._probe(n, u) for n, u in self._services.items())))

    async def _probe(self, name: str, url: str) -> Probe:
        answers: tuple[_Answer | BaseException, _Answer | BaseException] = await asyncio.gather(
            self._get(f"{url}/health/ready"),
            self._get(f"{url}/monitor/snapshot"),
            return_exceptions=True,
        )
        ready, snapshot = answers
        if isinstance(ready, BaseException):
            return Probe(name, url, error=_reason(ready))
        status, ready_body = ready
        snapshot_body = None if isinstance(snapshot, BaseException) else snapshot[1]
        return Probe(name, url, status, ready_body, snapshot_body)

    async def _get(self, url: str) -> _Answer:
        response = await self._client.get(url)
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
