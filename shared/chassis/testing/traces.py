"""A real OTLP/HTTP trace receiver on 127.0.0.1, in a thread of the test process.

Services configured with `tracing.endpoint = receiver.url` export their spans to it over HTTP,
exactly as they would to a collector; tests then read what arrived.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from chassis.config import TracingSettings
from chassis.tracing.received import ReceivedSpan, decode_export

TRACES_PATH = "/v1/traces"


class TraceReceiver:
    """On `port` (default: a free one). `unavailable(n)` answers the next n exports 503, as a
    collector that is overloaded or restarting does."""

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        self._spans: list[ReceivedSpan] = []
        self._refusals = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="otlp", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{TRACES_PATH}"

    @property
    def settings(self) -> TracingSettings:
        """Tracing every span to this receiver, exported at once."""
        return TracingSettings(enabled=True, endpoint=self.url, export_delay=0.05)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def unavailable(self, exports: int) -> None:
        with self._lock:
            self._refusals = exports

    @property
    def spans(self) -> list[ReceivedSpan]:
        with self._lock:
            return list(self._spans)

    def wait_for(
        self, found: Callable[[list[ReceivedSpan]], bool], within: float = 10.0
    ) -> list[ReceivedSpan]:
        """The spans received once `found(spans)` holds; AssertionError naming what did arrive
        when it still does not after `within` seconds."""
        deadline = time.monotonic() + within
        while not found(spans := self.spans):
            if time.monotonic() > deadline:
                seen = ", ".join(f"{s.service}:{s.name}" for s in spans) or "none"
                raise AssertionError(f"the spans waited for did not arrive; received: {seen}")
            time.sleep(0.05)
        return spans

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with owner._lock:
                    refused, owner._refusals = owner._refusals > 0, max(owner._refusals - 1, 0)
                if refused:
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    spans = decode_export(body) if self.path == TRACES_PATH else None
                except ValueError:
                    spans = None
                if spans is None:
                    self.send_response(400)
                    self.end_headers()
                    return
                with owner._lock:
                    owner._spans.extend(spans)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test's output is for the test

        return Handler
