"""Per-request context: correlation id, access log, metrics and the 500 catch-all, in one layer.

One pure ASGI layer rather than four: each layer costs a coroutine frame and a `send` wrapper per
message, and these share the start time and the status. The catch-all sits inside the context,
so a 500 still carries its X-Request-ID, is counted, and is logged once (Starlette's own
ServerErrorMiddleware would re-raise, and uvicorn would log the traceback again). Operational
paths (/health, /metrics, /monitor) skip the log line and metrics so probes don't drown traffic.
It also puts requests under the configured `root_path` (the prefix a proxy serves the service
under), as ASGI has it: `root_path` is the prefix and `path` includes it, whether the proxy kept
the prefix or stripped it. Routes and mounts (/docs/assets, NiceGUI's files) then match either
way, and /openapi.json, /docs and /redoc name their URLs under the prefix. (FastAPI's own
`root_path=` argument is deprecated, and with a stripping proxy it left mounts unmatched.)
Behind trusted proxies it puts the forwarded client in `scope["client"]` (`chassis.app.forwarded`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.app.forwarded import Network, use_forwarded_client
from chassis.context import correlation_id, new_correlation_id
from chassis.errors.handlers import answer_unhandled
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics

REQUEST_ID_HEADER = b"x-request-id"
# Echo a caller's id only if it is a sane token; anything else could inject into logs.
_VALID_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
# Probes and pages, not traffic: no access line, metrics or trace span.
OPERATIONAL_PATHS = ("/health", "/metrics", "/monitor", "/_nicegui", "/favicon")
_log = tagged_logger("API")


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        access_log: bool = True,
        root_path: str = "",
        trusted_proxies: Sequence[Network] = (),
    ) -> None:
        self.app = app
        self.trusted_proxies = tuple(trusted_proxies)
        self.access_log = access_log
        self.root_path = root_path.rstrip("/")
        self.metrics = fleet_metrics()
        # Label children cached per (route, method, status): `.labels()` is costly per request.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    # One frame per request on the hot path (pure ASGI): its closures count toward it.
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # noqa: C901
        route_path = scope.get("path", "")
        if self.root_path and scope["type"] != "lifespan":
            route_path = _under_root_path(scope, self.root_path)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.trusted_proxies:
            use_forwarded_client(scope, self.trusted_proxies)
        rid = _incoming_id(scope) or new_correlation_id().encode()
        token = correlation_id.set(rid.decode())
        quiet = route_path.startswith(OPERATIONAL_PATHS)
        status = 500

        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, rid)]
            await send(message)

        async def serve() -> None:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                _log.exception("unhandled error serving %s %s", scope["method"], scope["path"])
                if not started_response:  # else too late: the client sees a cut response
                    await answer_unhandled(scope, receive, send_with_id)

        if quiet:
            try:
                await serve()
            finally:
                correlation_id.reset(token)
            return

        in_flight = self.metrics.in_flight
        in_flight.inc()
        started = time.perf_counter()
        try:
            await serve()
        finally:
            elapsed = time.perf_counter() - started
            in_flight.dec()
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            self._record(template, scope["method"], status, elapsed)
            if self.access_log:
                _log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed * 1000)
            correlation_id.reset(token)

    def _record(self, route: str, method: str, status: int, elapsed: float) -> None:
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.metrics.requests.labels(route, method, str(status)),
                self.metrics.request_duration.labels(route, method),
            )
            self._children[key] = children
        counter, histogram = children
        counter.inc()
        histogram.observe(elapsed)


def _under_root_path(scope: Scope, root_path: str) -> str:
    """Make `path` include `root_path` (a proxy may have stripped it); the path after it."""
    path: str = scope["path"]
    if path != root_path and not path.startswith(root_path + "/"):
        path = root_path + path
        scope["path"] = path
    scope["root_path"] = root_path
    return path[len(root_path) :] or "/"


def _incoming_id(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            return value if _VALID_ID.match(value) else None
    return None
