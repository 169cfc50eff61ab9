"""The monitor's ASGI app: the watch in the lifespan, the page at /, the view as JSON, and the
OTLP/HTTP receiver (`POST /v1/traces`) behind the trace pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI

from fleet_monitor.devices import PANEL
from fleet_monitor.receiver import traces_router
from fleet_monitor.settings import MonitorSettings
from fleet_monitor.traces import TraceStore
from fleet_monitor.watch import FleetWatch


def build(settings: MonitorSettings) -> FastAPI:
    """The app for `settings`. Mounts the NiceGUI page, which is process-global: one per process."""
    from nicegui import ui  # heavy: only the serving process pays for it

    from fleet_monitor.page import mount_page
    from fleet_monitor.trace_pages import mount_trace_pages

    watch = FleetWatch(settings)
    traces = TraceStore(settings.traces_kept, settings.spans_kept)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await watch.start()
        try:
            yield
        finally:
            await watch.stop()

    app = FastAPI(title="Fleet monitor", lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/fleet.json", include_in_schema=False)
    async def fleet_json() -> dict[str, Any]:
        # What the page shows, for scripts and `curl`: the same rows, no browser needed.
        return {
            **asdict(watch.view),
            PANEL: asdict(watch.devices),
            "bus": {"state": watch.tail.state, "connected": watch.tail.connected},
            "events": [asdict(e) for e in watch.tail.events],
        }

    app.include_router(traces_router(traces))
    mount_page(watch)
    mount_trace_pages(traces, settings.refresh_seconds)
    ui.run_with(app, title="Fleet monitor", show_welcome_message=False, reconnect_timeout=10.0)
    return app
