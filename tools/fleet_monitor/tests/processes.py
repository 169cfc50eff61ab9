"""Real processes for the browser test: stand-in chassis services and the monitor itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from chassis.local import wait_for_port


@contextmanager
def running(
    args: list[str], port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m <args>` until the block ends; its output goes to `log` for the failure report."""
    # The child imports what this test process can: same interpreter, same sys.path.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while not wait_for_port("127.0.0.1", port, timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{args[0]} did not listen on {port}:\n{log.read_text()}")
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def stand_in_service(
    port: int, log: Path, jwks_url: str
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """The chassis's example service: /health/ready and /monitor/snapshot as every service has,
    the snapshot for tokens of the issuer at `jwks_url`."""
    args = ["chassis.app.tests.example_service", "serve", "--port", str(port)]
    return running(args, port, log, {"GREETER__AUTH__JWKS_URL": jwks_url})
