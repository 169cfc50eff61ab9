"""The server a benchmark loads: `uvicorn <factory> --factory` pinned to core 0.

Its output goes to a file, not to the terminal the figures are printed on; when it does not start,
the error says why in the server's own words (the end of that file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

from chassis.local import free_port, wait_for_port


class ServerFailed(RuntimeError):
    """The benchmark's server did not start; the message ends with what it printed."""


class Server:
    """`uvicorn <factory> --factory` (uvloop, httptools, one worker) on core 0, with extra
    environment. The factory is imported by name: the benchmark must import its module too, so
    that Pants packs it."""

    def __init__(self, factory: str, env: dict[str, str], *, start_within: float = 60) -> None:
        self.factory, self.env, self.port = factory, env, free_port()
        self._start_within = start_within
        self._process: subprocess.Popen[bytes] | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="bench-server-")
        self.log = Path(self._folder.name) / "server.log"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Server:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **self.env}
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                ["taskset", "-c", "0", sys.executable, "-m", "uvicorn", self.factory, "--factory",
                 "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                 "--log-level", "warning", "--port", str(self.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        if not self._started():
            said = self.last_lines()
            self._stop()
            raise ServerFailed(f"{self.factory} did not start; it said:\n{said}")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop()

    def last_lines(self, count: int = 40) -> str:
        """The end of what the server printed (while it runs)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-count:])

    def _started(self) -> bool:
        """Whether it listens within the time allowed; False at once when it exits."""
        deadline = time.monotonic() + self._start_within
        while self._process is not None and self._process.poll() is None:
            if wait_for_port("127.0.0.1", self.port, timeout=0.5):
                return True
            if time.monotonic() > deadline:
                return False
        return False

    def _stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
        self._process = None
        self._folder.cleanup()
