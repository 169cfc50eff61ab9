"""A Debug Adapter Protocol client over a plain socket, as an editor speaks it to debugpy: enough
to attach (initialize, attach, configurationDone) and ask what the debuggee runs."""

from __future__ import annotations

import json
import socket
from typing import Any


class DapClient:
    """One connection to a debug adapter; requests answered in order, events noted."""

    def __init__(self, host: str, port: int, timeout: float = 30) -> None:
        self._socket = socket.create_connection((host, port), timeout=timeout)
        self._buffer = b""
        self._seq = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        self._socket.close()

    def send(self, command: str, **arguments: Any) -> int:
        """Send a request; its sequence number (the response's `request_seq`)."""
        self._seq += 1
        message = {"seq": self._seq, "type": "request", "command": command}
        message["arguments"] = arguments
        body = json.dumps(message).encode()
        self._socket.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        return self._seq

    def response(self, seq: int) -> dict[str, Any]:
        """The response to request `seq` (events met on the way are kept in `events`)."""
        while True:
            message = self._receive()
            if message.get("type") == "response" and message.get("request_seq") == seq:
                return message
            self.events.append(message)

    def event(self, name: str) -> dict[str, Any]:
        """The first event `name`, waiting for it if it has not come yet."""
        for seen in self.events:
            if seen.get("event") == name:
                return seen
        while True:
            message = self._receive()
            self.events.append(message)
            if message.get("event") == name:
                return message

    def request(self, command: str, **arguments: Any) -> dict[str, Any]:
        return self.response(self.send(command, **arguments))

    def _receive(self) -> dict[str, Any]:
        while b"\r\n\r\n" not in self._buffer:
            self._read()
        header, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        length = next(
            int(line.split(b":")[1])
            for line in header.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(self._buffer) < length:
            self._read()
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        message: dict[str, Any] = json.loads(body)
        return message

    def _read(self) -> None:
        chunk = self._socket.recv(65536)
        if not chunk:
            raise ConnectionError("the debug adapter closed the connection")
        self._buffer += chunk
