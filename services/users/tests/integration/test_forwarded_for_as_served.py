"""Login throttling with users served as images run it (`python -m users.main serve`: uvicorn):
X-Forwarded-For names the client only when the peer is a configured trusted proxy.

Issue 19: uvicorn believes X-Forwarded-For from loopback by default, so guesses from one address
with a new header each were never throttled. test_login_throttle.py cannot see that: TestClient
runs the app without uvicorn. Sized by users' default limits (`login_limit`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from chassis.testing import BrokerAddress, free_port
from users.settings import LoginLimitSettings
from users.tests.integration.conftest import PASSWORD

WRONG = "not the password at all"
LIMITS = LoginLimitSettings()


@pytest.fixture
def users_env(
    database_url: str, mqtt_broker: BrokerAddress, mqtt_client_id: str, tmp_path: Path
) -> dict[str, str]:
    """What users needs to start, as the environment of its process (no trusted proxy)."""
    return os.environ | {
        "PYTHONPATH": os.pathsep.join(sys.path),  # the code this test runs, from Pants' sandbox
        "USERS__DATABASE__URL": database_url,
        "USERS__DATABASE__MIGRATE_AT_START": "true",
        "USERS__MQTT__URL": mqtt_broker.url,
        "USERS__MQTT__CLIENT_ID": mqtt_client_id,
        "USERS__TOKENS__KEYS_DIR": str(tmp_path / "keys"),
        "USERS__MONITOR__ENABLED": "false",
        "USERS__LOGGING__LEVEL": "WARNING",
    }


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[httpx.Client]:
    """users served on a free loopback port until the block ends; a client to call it."""
    port = free_port()
    command = [sys.executable, "-m", "users.main", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_until_ready(client, process, log)
            yield client
    finally:
        process.terminate()  # SIGTERM, as a pod stops: its worker id lease is released
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if client.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"users never became ready:\n{log.read_text(errors='replace')}")


def register(users: httpx.Client) -> str:
    name = f"xff{uuid.uuid4().hex[:12]}"
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = users.post("/v1/users", json=body)
    assert response.status_code == 201, response.text
    return name


def log_in(users: httpx.Client, username: str, password: str, forwarded_for: str) -> httpx.Response:
    form = {"username": username, "password": password}
    return users.post("/v1/auth/token", data=form, headers={"X-Forwarded-For": forwarded_for})


def test_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_login_throttle(
    users_env: dict[str, str], tmp_path: Path
) -> None:
    with serving(users_env, tmp_path / "users.log") as users:
        owner = register(users)
        answers = [
            log_in(users, owner, WRONG, forwarded_for=f"192.0.2.{n}").status_code
            for n in range(LIMITS.free_failures)
        ]
        refused = log_in(users, owner, WRONG, forwarded_for="192.0.2.99")

    assert answers == [401] * LIMITS.free_failures
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= LIMITS.first_delay


def test_a_configured_trusted_proxy_makes_forwarded_for_the_client(
    users_env: dict[str, str], tmp_path: Path
) -> None:
    behind_proxy = users_env | {"USERS__HTTP__TRUSTED_PROXIES": '["127.0.0.1"]'}
    guesser, owner_address = "198.51.100.7", "198.51.100.8"
    with serving(behind_proxy, tmp_path / "users.log") as users:
        owner = register(users)
        for _ in range(LIMITS.free_failures):
            log_in(users, owner, WRONG, forwarded_for=guesser)
        guessing_again = log_in(users, owner, WRONG, forwarded_for=guesser)
        owners_login = log_in(users, owner, PASSWORD, forwarded_for=owner_address)

    # Both came through the same proxy connection: only the forwarded address tells them apart.
    assert guessing_again.status_code == 429
    assert owners_login.status_code == 200, owners_login.text
