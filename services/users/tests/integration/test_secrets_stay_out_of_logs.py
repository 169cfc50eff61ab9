"""Passwords, client secrets and tokens never reach a log line, at any level, in either format."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chassis.testing import ServiceApps
from users.settings import UsersSettings

PASSWORD = "Plum-Sextant-4471-quartz"
WRONG_PASSWORD = "Wrong-Sextant-9902-basalt"
CLIENT_SECRET = "devices-secret-123"  # the conftest's service account


@pytest.fixture
def every_logger_at_debug() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    yield
    for logger, level, disabled in levels:
        logger.setLevel(level)
        logger.disabled = disabled


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_no_password_secret_or_token_is_logged(
    apps: ServiceApps[UsersSettings],
    tmp_path: Path,
    log_format: str,
    every_logger_at_debug: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    log_file = tmp_path / "users.log"
    caplog.set_level(logging.DEBUG)

    logs = {"level": "DEBUG", "format": log_format, "file": str(log_file)}
    with apps.started(logging=logs) as client:
        secrets = _exercise_every_secret_path(client, f"plum-{log_format}")

    records = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for output in (log_file.read_text(), records):
        assert "POST /v1/auth/token" in output  # the requests were logged at all
        leaked = [name for name, secret in secrets.items() if secret in output]
        assert leaked == []


def _exercise_every_secret_path(client: TestClient, name: str) -> dict[str, str]:
    """Register, log in (right and wrong password, and a service), refresh, read /me (with a
    good and a forged token) and log out; every secret that crossed the wire, by name."""
    user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    assert client.post("/v1/users", json=user).status_code == 201
    wrong = {"username": name, "password": WRONG_PASSWORD}
    assert client.post("/v1/auth/token", data=wrong).status_code == 401
    first = client.post("/v1/auth/token", data={"username": name, "password": PASSWORD}).json()
    service = client.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "devices",
            "client_secret": CLIENT_SECRET,
        },
    ).json()
    second = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    me = client.get("/v1/users/me", headers=_bearer(second["access_token"]))
    assert me.status_code == 200
    forged = second["access_token"][:-8] + "AAAAAAAA"
    assert client.get("/v1/users/me", headers=_bearer(forged)).status_code == 401
    # The used-up first refresh token again: reuse detection, which logs a warning.
    reused = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    logout = client.post("/v1/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert logout.status_code == 204
    return {
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "client secret": CLIENT_SECRET,
        "first access token": first["access_token"],
        "first signature": _signature(first["access_token"]),
        "first refresh token": first["refresh_token"],
        "second access token": second["access_token"],
        "second signature": _signature(second["access_token"]),
        "second refresh token": second["refresh_token"],
        "service token signature": _signature(service["access_token"]),
        "forged token": forged,
    }


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _signature(token: str) -> str:
    return token.rsplit(".", 1)[1]
