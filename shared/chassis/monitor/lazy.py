"""The monitor page built when it is first opened, not when the service starts.

NiceGUI and what it brings (socket.io, aiohttp, jinja2, its page machinery) hold about 18 MB of
every service process; most processes never serve the page. So /monitor is mounted as this small
ASGI app: the first request imports NiceGUI (in a worker thread, so other requests go on), builds
the page on an app of its own with NiceGUI's documented `ui.run_with` and starts that app's
lifespan; every later request goes straight to it. The service's shutdown stops it.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from chassis.tracing import FASTAPI_TELEMETRY_OFF

Build = Callable[[FastAPI], None]  # puts the page on the app it is given (ui.run_with)


class LazyPage:
    """An ASGI app that builds the page with `build` on its first request, then serves it."""

    def __init__(self, build: Build) -> None:
        self._build = build
        self._page: FastAPI | None = None  # built once: NiceGUI is process-global
        self._running: AsyncExitStack | None = None
        self._lock: asyncio.Lock | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = self._page if self._running is not None else None
        if page is None:
            # A context of its own: NiceGUI's background tasks, started with the page, must not
            # carry the first visitor's correlation id in every log line they write.
            # Shielded: a visitor who leaves mid-way does not leave the page half started.
            opening = asyncio.create_task(self._open(), context=contextvars.Context())
            page = await asyncio.shield(opening)
        await page(scope, receive, send)

    async def close(self) -> None:
        """Stop the page's lifespan (NiceGUI's timers and background tasks), if it runs."""
        running, self._running = self._running, None
        self._lock = None  # a restarted app runs on a new event loop
        if running is not None:
            await running.aclose()

    async def _open(self) -> FastAPI:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:  # concurrent first visitors build and start it once
            if self._page is None:
                await asyncio.to_thread(importlib.import_module, "nicegui")  # ~1 s: off the loop
                page = FastAPI(
                    docs_url=None,
                    redoc_url=None,
                    openapi_url=None,
                    telemetry=FASTAPI_TELEMETRY_OFF,
                )
                self._build(page)
                self._page = page
            if self._running is None:
                running = AsyncExitStack()
                await running.enter_async_context(self._page.router.lifespan_context(self._page))
                self._running = running
            return self._page


def stop_with(app: FastAPI, page: LazyPage) -> None:
    """Stop `page` when `app` shuts down, before the app's own components stop (the page's timer
    reads them)."""
    serve = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(service: FastAPI) -> AsyncIterator[None]:
        async with serve(service):  # the chassis's lifespan yields no state
            try:
                yield
            finally:
                await page.close()

    app.router.lifespan_context = lifespan
