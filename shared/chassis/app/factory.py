"""The app factory: composition of middleware, handlers, operational routes and lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from fastapi.routing import APIRoute

from chassis.app.contract import document_problems
from chassis.app.docs import mount_docs
from chassis.app.health import health_router
from chassis.app.middleware import RequestContextMiddleware
from chassis.app.refusals import refuse_without_traceback
from chassis.app.revocations import follow_revocations
from chassis.app.tracing import TracingMiddleware
from chassis.auth.dependencies import use_token_url
from chassis.auth.keys import JwksKeySet
from chassis.config import ServiceSettings
from chassis.db.database import Database
from chassis.db.engine import normalize_url
from chassis.db.ids import WorkerIdUnavailable, configure_ids
from chassis.db.repository import InvalidCursor
from chassis.errors.handlers import install_problem_handlers
from chassis.http.errors import DownstreamError, DownstreamUnavailable
from chassis.lifecycle import Component, Components
from chassis.logging import configure_logging, tagged_logger
from chassis.metrics import render_latest
from chassis.monitor import mount_monitor
from chassis.tracing import FASTAPI_TELEMETRY_OFF, configure_tracing, shutdown_tracing

if TYPE_CHECKING:
    from chassis.db.worker_lease import WorkerIdLease

# The chassis's own errors, answered the same way by every service. A service's errors are
# `DomainError`s, each naming its status (the chassis's packages below `errors` cannot).
_CHASSIS_ERRORS: Mapping[type[Exception], int] = {
    DownstreamError: 502,
    DownstreamUnavailable: 503,
    WorkerIdUnavailable: 503,
    InvalidCursor: 400,
}
_log = tagged_logger("APP")


def _worker_id_lease(
    components: Sequence[Component], worker_id: int | None
) -> WorkerIdLease | None:
    """A lease on the first `Database` among `components` if it is PostgreSQL (of `worker_id`
    if given); None without one, or on SQLite: a single process, fine with any id."""
    database = next((c for c in components if isinstance(c, Database)), None)
    if database is None or normalize_url(database.settings.url).get_backend_name() != "postgresql":
        return None
    # Imported here: the lease loads psycopg, which a process on SQLite never needs (9 MB).
    from chassis.db.worker_lease import WorkerIdLease

    return WorkerIdLease(database.settings, worker_id=worker_id)


def create_app(
    settings: ServiceSettings,
    *,
    routers: Sequence[APIRouter] = (),
    components: Sequence[Component] = (),
    version: str = "1.0.0",
    description: str | None = None,
) -> FastAPI:
    """Build the service's app. Nothing connects until the app starts (its lifespan).

    What the components are says the rest: a `Database` with migrations is what `migrate`
    upgrades, a `JwksKeySet`'s `auth.token_url` is where /docs' Authorize logs in, a key set and
    a `Bus` follow the identity service's revocations. Domain errors answer their own status
    (`DomainError`).
    """
    configure_tracing(settings.tracing, service=settings.name)
    configure_logging(settings.logging, service=settings.name, traced=settings.tracing.enabled)
    # The worker id is claimed from the service's PostgreSQL database (chassis.db.worker_lease),
    # first of all components, so it is held before any id is made and given back last.
    lease = _worker_id_lease(components, settings.worker_id)
    if lease is None:
        configure_ids(settings.worker_id or 0)
    registry = Components([lease, *components] if lease else components)
    follow_revocations(components)  # a key set hears access.revoked on the bus

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await registry.start()
        if lease is None:
            _log.info("%s", _fixed_worker_id(settings.worker_id, components))
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
                shutdown_tracing()  # exports the spans still waiting

    app = FastAPI(
        title=settings.name,
        version=version,
        description=description or f"The {settings.name} service of Fleet.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # FastAPI's pages load their scripts from CDNs; mount_docs serves them
        redoc_url=None,
        telemetry=FASTAPI_TELEMETRY_OFF,
    )
    app.state.settings = settings
    app.state.components = registry
    refuse_without_traceback(app.router)  # a refused start: one line (Components.start)

    install_problem_handlers(app, _CHASSIS_ERRORS)
    app.add_middleware(
        RequestContextMiddleware,
        access_log=settings.logging.access_log,
        root_path=settings.http.root_path,
        trusted_proxies=settings.http.trusted_proxies,
    )
    if settings.tracing.enabled:  # outermost: its span covers the whole request
        app.add_middleware(TracingMiddleware, root_path=settings.http.root_path)

    # The service's routes first: the router tries routes in order, and they are the hot path.
    for router in routers:
        app.include_router(router)
    document_problems(
        app, [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    )
    app.include_router(health_router)
    app.add_api_route("/metrics", _metrics, methods=["GET"], include_in_schema=False)
    mount_docs(app)
    if keys := next((c for c in components if isinstance(c, JwksKeySet)), None):
        use_token_url(app, keys.settings.token_url)
    if settings.monitor.enabled:
        mount_monitor(app, settings.monitor.refresh_seconds)
    return app


def _fixed_worker_id(worker_id: int | None, components: Sequence[Component]) -> str:
    if worker_id is not None:
        return f"making ids as worker id {worker_id} (from settings)"
    if any(isinstance(component, Database) for component in components):
        return "making ids as worker id 0 (SQLite: a single process)"
    return (
        "making ids as worker id 0: no database to claim one from "
        "(set worker_id if several replicas make ids)"
    )


async def _metrics() -> Response:
    body, content_type = render_latest()
    return Response(body, media_type=content_type)


def _operation_id(route: APIRoute) -> str:
    # The handler's name (`create_task`), so generated clients get clean method names.
    return route.name
