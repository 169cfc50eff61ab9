"""A real HTTP server on 127.0.0.1 that fails, stalls or drops on purpose, for resilience tests.

It runs its own event loop in a thread, so the code under test talks to it over a real socket,
exactly as it would to another service, and its timing is not at the mercy of the test's loop.

>>> server = FlakyServer()
>>> server.start()
>>> server.fail(503, times=2, retry_after=1)   # then the default answer: 200 {"ok": true}
>>> server.stall(0.5)                          # the next request waits half a second
>>> server.requests[-1].headers["x-request-id"], server.gaps()
>>> server.stop(); server.start()              # down, then back on the same port
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server saw it; header names are lower-case."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Reply:
    """What to answer: `status` 0 closes the connection without answering."""

    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0

    def encode(self, method: str) -> bytes:
        lines = [
            f"HTTP/1.1 {self.status} {HTTPStatus(self.status).phrase}",
            "Content-Type: application/json",
            f"Content-Length: {len(self.body)}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in self.headers),
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head if method == "HEAD" else head + self.body


class FlakyServer:
    """Answers scripted replies first (fail, stall, drop), then the default (answer)."""

    def __init__(self, port: int = 0) -> None:
        self.host = "127.0.0.1"
        self.port = port  # 0: a free one, chosen at the first start and kept for restarts
        self._default = Reply()
        self._script: collections.deque[Reply] = collections.deque()
        self._received: list[ReceivedRequest] = []
        self._guard = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request received since the start (or the last clear)."""
        with self._guard:
            return list(self._received)

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests: the pauses a client took between attempts."""
        times = [r.at for r in self.requests]
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def answer(self, status: int = 200, body: Any = None) -> None:
        """The reply once the script has run out (default: 200 {"ok": true})."""
        self._default = Reply(status, json.dumps({"ok": True} if body is None else body).encode())

    def fail(self, status: int = 503, *, times: int = 1, retry_after: float | None = None) -> None:
        """Answer `status` to the next `times` requests, with Retry-After if given."""
        extra = (("Retry-After", f"{retry_after:g}"),) if retry_after is not None else ()
        body = json.dumps({"status": status}).encode()
        self._queue(Reply(status, body, extra), times)

    def stall(self, seconds: float, *, times: int = 1) -> None:
        """Hold the next `times` requests for `seconds` before the default answer."""
        default = self._default
        self._queue(Reply(default.status, default.body, default.headers, seconds), times)

    def drop(self, *, times: int = 1) -> None:
        """Close the connection of the next `times` requests without answering."""
        self._queue(Reply(status=0), times)

    def clear(self) -> None:
        """Forget received requests and pending script lines."""
        with self._guard:
            self._received.clear()
            self._script.clear()

    def start(self) -> None:
        if self._loop is not None:
            return
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="flaky-server", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout=5)

    def stop(self) -> None:
        """Close the socket and cut every open connection: clients see the server gone."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> FlakyServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _queue(self, reply: Reply, times: int) -> None:
        with self._guard:
            self._script.extend([reply] * times)

    def _next_reply(self, request: ReceivedRequest) -> Reply:
        with self._guard:
            self._received.append(request)
            return self._script.popleft() if self._script else self._default

    async def _listen(self) -> None:
        # reuse_address: a restart binds the same port though old connections sit in TIME_WAIT.
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            request = await _read_request(reader)
            reply = self._next_reply(request)
            await asyncio.sleep(reply.delay)
            if reply.status:
                writer.write(reply.encode(request.method))
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # the client went away first (it timed out): nothing to answer
        finally:
            writer.close()
            if task is not None:
                self._connections.discard(task)


async def _read_request(reader: asyncio.StreamReader) -> ReceivedRequest:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    request_line, *lines = head.rstrip("\r\n").split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return ReceivedRequest(method, target, headers, body)
