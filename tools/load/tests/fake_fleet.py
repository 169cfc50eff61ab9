"""A stand-in for the fleet's HTTP APIs: just the routes and bodies the locustfile uses.

Bodies of the wrong shape get a 422, so a run that passes against it sent what the real services
expect (their schemas: TaskCreate, TransitionRequest, DeviceCreate; the password grant's form).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

_TRANSITION = re.compile(r"/v1/tasks/(\d+)/transitions")


class FakeFleet:
    """Serves on 127.0.0.1:`port` in a thread; `hits` counts answered requests per route."""

    def __init__(self, port: int, password: str) -> None:
        self.password = password
        self.hits: Counter[str] = Counter()
        self._ids = itertools.count(7_000_000_000_000_000_000)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def answer(self, method: str, path: str, body: bytes, auth: str | None) -> tuple[int, Any]:
        route = _TRANSITION.sub("/v1/tasks/{id}/transitions", path.split("?")[0])
        if (method, route) == ("POST", "/v1/auth/token"):
            return self._token(parse_qs(body.decode()))
        if auth != "Bearer load-token":
            return 401, {"title": "Unauthorized"}
        status, answer = self._route(method, route, json.loads(body) if body else {})
        with self._lock:
            self.hits[f"{method} {route}"] += 1
        return status, answer

    def _token(self, form: dict[str, list[str]]) -> tuple[int, Any]:
        if form.get("grant_type") != ["password"] or form.get("password") != [self.password]:
            return 401, {"title": "Unauthorized"}
        with self._lock:
            self.hits["POST /v1/auth/token"] += 1
        return 200, {"access_token": "load-token", "token_type": "bearer", "expires_in": 900}

    def _route(self, method: str, route: str, body: dict[str, Any]) -> tuple[int, Any]:
        if (method, route) == ("GET", "/v1/tasks"):
            return 200, {"items": [], "next_cursor": None}
        if (method, route) == ("POST", "/v1/tasks") and "title" in body:
            return 201, {"id": str(next(self._ids)), "status": "open"}
        if route == "/v1/tasks/{id}/transitions" and body.get("to") in ("in_progress", "done"):
            return 200, {"status": body["to"]}
        if (method, route) == ("POST", "/v1/devices") and {"name", "kind", "site"} <= set(body):
            return 201, {"id": str(next(self._ids))}
        return 422, {"title": "Unprocessable", "detail": f"{method} {route} {body}"}


def _handler(fleet: FakeFleet) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real services (uvicorn) do

        def do_GET(self) -> None:
            self._respond()

        def do_POST(self) -> None:
            self._respond()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test reads the runner's output, not an access log

        def _respond(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = fleet.answer(
                self.command, self.path, body, self.headers.get("Authorization")
            )
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
