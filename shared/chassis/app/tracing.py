"""A server span per request, continuing the caller's trace (W3C `traceparent`).

Pure ASGI, outermost, and added only when tracing is on: off, requests never reach it. The span
is named by the route template (`GET /v1/tasks/{task_id}`), known once the router has matched,
and carries the request's correlation id (the `X-Request-ID` the context layer answers with).
Operational paths (/health, /metrics, /monitor) are not traced: probes would drown the traces.
"""

from __future__ import annotations

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.app.middleware import OPERATIONAL_PATHS
from chassis.tracing import context_of, tracer


class TracingMiddleware:
    def __init__(self, app: ASGIApp, *, root_path: str = "") -> None:
        self.app = app
        self.root_path = root_path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        under_root = path.removeprefix(self.root_path) if self.root_path else path
        if scope["type"] != "http" or under_root.startswith(OPERATIONAL_PATHS):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        # Attributes all at once at the end: each call costs the SDK a lock and a validation.
        span = tracer().start_span(
            method, context=context_of(_header(scope, b"traceparent")), kind=SpanKind.SERVER
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        attributes: dict[str, str | int] = {"http.request.method": method, "url.path": path}

        async def send_traced(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                attributes["http.response.status_code"] = status
                if status >= 500:
                    span.set_status(StatusCode.ERROR)
                for name, value in message.get("headers", ()):
                    if name == b"x-request-id":
                        attributes["fleet.correlation_id"] = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, send_traced)
        except BaseException as exc:
            span.record_exception(exc)
            span.set_status(StatusCode.ERROR, type(exc).__name__)
            raise
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route:
                span.update_name(f"{method} {route}")
                attributes["http.route"] = route
            span.set_attributes(attributes)
            span.end()
            otel_context.detach(token)


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return str(value.decode("latin-1"))
    return None
