"""The app factory: composition of middleware, handlers, operational routes and lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from fastapi.routing import APIRoute

from chassis.app.docs import mount_docs
from chassis.app.health import health_router
from chassis.app.middleware import RequestContextMiddleware
from chassis.config import ServiceSettings
from chassis.db.ids import configure_ids
from chassis.errors.handlers import install_problem_handlers
from chassis.http.errors import DownstreamError, DownstreamUnavailable
from chassis.lifecycle import Component, Components
from chassis.logging import configure_logging
from chassis.metrics import render_latest
from chassis.monitor import mount_monitor

# The chassis's own errors, answered the same way by every service; `errors=` may override them.
_CHASSIS_ERRORS: Mapping[type[Exception], int] = {DownstreamError: 502, DownstreamUnavailable: 503}


def create_app(
    settings: ServiceSettings,
    *,
    routers: Sequence[APIRouter] = (),
    components: Sequence[Component] = (),
    errors: Mapping[type[Exception], int] | None = None,
    version: str = "1.0.0",
    description: str | None = None,
) -> FastAPI:
    """Build the service's app. Nothing connects until the app starts (its lifespan)."""
    configure_logging(settings.logging, service=settings.name)
    configure_ids(settings.worker_id)
    registry = Components(components)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await registry.start()
        # What startup built (routes, models, settings, connections) lives as long as the app:
        # out of the collector's sight, full collections stop walking it (tail-latency stalls).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            try:
                await registry.stop()
            finally:
                gc.unfreeze()  # a stopped app's objects may be collected again (tests start many)

    app = FastAPI(
        title=settings.name,
        version=version,
        description=description or f"The {settings.name} service of Fleet.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # FastAPI's pages load their scripts from CDNs; mount_docs serves them
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.components = registry

    install_problem_handlers(app, {**_CHASSIS_ERRORS, **(errors or {})})
    app.add_middleware(
        RequestContextMiddleware,
        access_log=settings.logging.access_log,
        root_path=settings.http.root_path,
    )

    # The service's routes first: the router tries routes in order, and they are the hot path.
    for router in routers:
        app.include_router(router)
    app.include_router(health_router)
    app.add_api_route("/metrics", _metrics, methods=["GET"], include_in_schema=False)
    mount_docs(app)
    if settings.monitor.enabled:
        mount_monitor(app, settings.monitor.refresh_seconds)
    return app


async def _metrics() -> Response:
    body, content_type = render_latest()
    return Response(body, media_type=content_type)


def _operation_id(route: APIRoute) -> str:
    # The handler's name (`create_task`), so generated clients get clean method names.
    return route.name
