"""Per-request context: correlation id, access log line and metrics, in one pure ASGI layer.

One layer rather than three: each ASGI layer costs a coroutine frame and a `send` wrapper per
message, and these three share the same start time and status. Operational paths (/health,
/metrics, /monitor) skip the log line and metrics so probes and scrapes don't drown real traffic.
"""

from __future__ import annotations

import re
import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.context import correlation_id, new_correlation_id
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics

REQUEST_ID_HEADER = b"x-request-id"
# Echo a caller's id only if it is a sane token; anything else could inject into logs.
_VALID_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
_QUIET_PREFIXES = ("/health", "/metrics", "/monitor", "/_nicegui", "/favicon")
_log = tagged_logger("API")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log
        self.metrics = fleet_metrics()
        # Label children cached per (route, method, status): `.labels()` is costly per request.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or new_correlation_id().encode()
        token = correlation_id.set(rid.decode())
        quiet = scope["path"].startswith(_QUIET_PREFIXES)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, rid)]
            await send(message)

        if quiet:
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                correlation_id.reset(token)
            return

        in_flight = self.metrics.in_flight
        in_flight.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
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


def _incoming_id(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            return value if _VALID_ID.match(value) else None
    return None
