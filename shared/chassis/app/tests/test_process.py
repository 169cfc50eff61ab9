"""The service as a real process: graceful shutdown and refusing bad configuration."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from chassis.local import wait_for_port

SERVICE = [sys.executable, "-m", "chassis.app.tests.example_service"]


def _env(**extra: str) -> dict[str, str]:
    # The subprocess sees the same code as this test (Pants puts sources on sys.path).
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **extra}


@pytest.fixture
def service(free_port: int) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    process = subprocess.Popen(
        [*SERVICE, "serve", "--port", str(free_port)],
        env=_env(GREETER__HTTP__GRACE_PERIOD="5"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_for_port("127.0.0.1", free_port, timeout=20), "service did not start"
    yield process, f"http://127.0.0.1:{free_port}"
    if process.poll() is None:
        process.kill()
    process.wait()


def test_sigterm_lets_the_in_flight_request_finish(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, url = service
    result: dict[str, httpx.Response] = {}

    def slow_request() -> None:
        result["response"] = httpx.get(f"{url}/v1/greetings/ada", params={"delay": 1.5}, timeout=10)

    caller = threading.Thread(target=slow_request)
    caller.start()
    time.sleep(0.5)  # the request is now in flight
    process.send_signal(signal.SIGTERM)
    caller.join(timeout=10)
    assert result["response"].status_code == 200
    assert result["response"].json() == {"message": "Hello, ada!"}
    # uvicorn re-raises the signal once drained, so "terminated by SIGTERM" is the clean exit.
    assert process.wait(timeout=10) in (0, -signal.SIGTERM)


def test_sigterm_stops_accepting_new_connections(
    service: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, url = service
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health/live", timeout=2)


def test_invalid_configuration_stops_startup_naming_every_bad_field(free_port: int) -> None:
    result = subprocess.run(
        [*SERVICE, "serve", "--port", str(free_port)],
        env=_env(GREETER__HTTP__GRACE_PERIOD="soon", GREETER__LOGGING__FORMAT="xml"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "Invalid configuration for greeter (2 problems):" in result.stderr
    assert "http.grace_period" in result.stderr
    assert "environment variable GREETER__HTTP__GRACE_PERIOD" in result.stderr
    assert "logging.format" in result.stderr
    assert "Traceback" not in result.stderr
