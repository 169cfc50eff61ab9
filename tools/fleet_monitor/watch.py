"""The monitor's one view of the fleet, refreshed in the background by its sources.

One poll per interval however many browser tabs are open: the services' /monitor/snapshot
rates are per caller-interval, so a second poller would halve what each one sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from fleet_monitor.apis import ApiDirectory
from fleet_monitor.bus_tail import EventTail
from fleet_monitor.devices import DeviceSummary, devices_panel
from fleet_monitor.polling import ServicePoller
from fleet_monitor.settings import MonitorSettings
from fleet_monitor.tokens import TokenSource
from fleet_monitor.views import (
    DependencyRow,
    Probe,
    ServiceRow,
    dependency_rows,
    fleet_rates,
    service_row,
)

_log = logging.getLogger("fleet_monitor")


@dataclass(frozen=True)
class FleetView:
    services: list[ServiceRow] = field(default_factory=list)
    dependencies: list[DependencyRow] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)
    polled_at: str = "not yet"


def fleet_view(probes: list[Probe]) -> FleetView:
    rows = [service_row(p) for p in probes]
    return FleetView(
        services=rows,
        dependencies=[d for p in probes for d in dependency_rows(p)],
        rates=fleet_rates(rows),
        polled_at=datetime.now().astimezone().strftime("%H:%M:%S"),
    )


class FleetWatch:
    """Starts the sources, keeps `view`, `devices` and `tail` fresh; stop() undoes start()."""

    def __init__(self, settings: MonitorSettings) -> None:
        self.settings = settings
        self.view = FleetView()
        self.devices = DeviceSummary(note="not polled yet")
        self.tail = EventTail(settings.broker, settings.events_filter, settings.events_kept)
        self._client: httpx.AsyncClient | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        settings = self.settings
        self._client = client = httpx.AsyncClient(timeout=settings.timeout)
        tokens = TokenSource(settings, client)
        poller = ServicePoller(settings.services, client, tokens)
        devices = self._count(ApiDirectory(settings.services, client), tokens, client)
        await self.tail.start()
        self._tasks = [
            asyncio.create_task(self._every(settings.refresh_seconds, self._poll(poller))),
            asyncio.create_task(self._every(settings.devices_every, devices)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.tail.stop()
        if self._client is not None:
            await self._client.aclose()

    def _poll(self, poller: ServicePoller) -> Callable[[], Awaitable[None]]:
        async def poll() -> None:
            self.view = fleet_view(await poller.poll())

        return poll

    def _count(
        self, apis: ApiDirectory, tokens: TokenSource, client: httpx.AsyncClient
    ) -> Callable[[], Awaitable[None]]:
        async def count() -> None:
            self.devices = await devices_panel(apis, tokens, client)

        return count

    @staticmethod
    async def _every(seconds: float, step: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await step()
            except Exception:
                # The sources turn expected failures into rows; anything else is a bug, logged,
                # and the monitor keeps polling rather than freezing the page on stale data.
                _log.exception("fleet monitor poll failed")
            await asyncio.sleep(seconds)
