"""Which service serves an API, read from each service's OpenAPI document, never from its name.

The monitor is handed the fleet's services by name and URL (`--service NAME=URL`); a panel that
needs an API (the devices panel: a device registry, and a task's status) finds the service
serving it here. A service that is down is asked again at the next lookup, so one started after
the monitor (`./fleet up` starts the monitor first) is found once it answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx


class ApiDirectory:
    """The API paths each service documents at /openapi.json, read once per service."""

    def __init__(self, services: Mapping[str, str], client: httpx.AsyncClient) -> None:
        self._services = services
        self._client = client
        self._paths: dict[str, frozenset[str]] = {}  # service -> its paths, once it answered

    async def refresh(self) -> None:
        """Read the documents of the services that have not answered yet."""
        unread = [name for name in self._services if name not in self._paths]
        found = await asyncio.gather(*(self._read(self._services[n]) for n in unread))
        self._paths |= {
            n: paths for n, paths in zip(unread, found, strict=True) if paths is not None
        }

    @property
    def complete(self) -> bool:
        """Every service has published its document: a path no one serves is served nowhere."""
        return all(name in self._paths for name in self._services)

    def serving(self, path: str) -> str | None:
        """The base URL of the first service (in the fleet's order) documenting `path`."""
        return next(
            (url for name, url in self._services.items() if path in self._paths.get(name, ())),
            None,
        )

    async def _read(self, url: str) -> frozenset[str] | None:
        try:
            response = await self._client.get(f"{url}/openapi.json")
            paths = response.json().get("paths", {}) if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError, AttributeError):
            return None  # down, or not an OpenAPI document yet: ask again next time
        return frozenset(paths) if isinstance(paths, dict) else None
