"""The tasks app on the session's database and broker, a stand-in for users, real tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from chassis.testing import BrokerAddress, FlakyServer, TokenIssuer
from tasks.main import build
from tasks.settings import TasksSettings

TABLES = ("task", "task_history", "task_label", "idempotent_requests", "outbox", "processed_events")
FAST_USERS: dict[str, Any] = {
    "connect_timeout": 0.3,
    "read_timeout": 0.5,
    "max_attempts": 2,
    "backoff_initial": 0.01,
    "backoff_max": 0.05,
    "backoff_jitter": 0.0,
    "deadline": 2.0,
    "breaker_fail_max": 3,
    "breaker_reset_timeout": 0.5,
}

AppFactory = Callable[..., TestClient]


def settings_for(
    database_url: str,
    mqtt_url: str,
    client_id: str,
    users_url: str,
    issuer: TokenIssuer,
    **overrides: Any,
) -> TasksSettings:
    values: dict[str, Any] = {
        "database": {"url": database_url, "migrate_at_start": True},
        "mqtt": {"url": mqtt_url, "client_id": client_id, "session_expiry": 60},
        "outbox": {"poll_interval": 0.05},
        "users": {"base_url": users_url, **FAST_USERS},
        "auth": issuer.auth_settings().model_dump(),
        "monitor": {"enabled": False},
    }
    for section, fields in overrides.items():
        values[section] = {**values.get(section, {}), **fields}
    return TasksSettings(**values)


@pytest.fixture
def users(flaky_server: FlakyServer) -> FlakyServer:
    """Users' HTTP API, stood in for: every user is an active technician unless scripted."""
    flaky_server.answer(200, {"id": "7", "username": "tess", "role": "technician", "active": True})
    return flaky_server


@pytest.fixture
def make_app(
    database_url: str,
    db_engine: sa.Engine,
    mqtt_broker: BrokerAddress,
    mqtt_client_id: str,
    users: FlakyServer,
    token_issuer: TokenIssuer,
) -> Iterator[AppFactory]:
    """Started apps (clients); tables emptied after the test."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = settings_for(
            database_url,
            mqtt_broker.url,
            f"{mqtt_client_id}-{len(clients)}",
            users.url,
            token_issuer,
            **overrides,
        )
        client = TestClient(build(settings), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    with db_engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608  (fixed names)


@pytest.fixture
def app(make_app: AppFactory) -> TestClient:
    return make_app()


@pytest.fixture
def as_user(token_issuer: TokenIssuer) -> Callable[..., dict[str, str]]:
    """Headers of a caller: `as_user("42", "operator")`."""

    def headers(subject: str = "100", role: str = "operator") -> dict[str, str]:
        return {"Authorization": f"Bearer {token_issuer.mint(subject, role=role)}"}

    return headers
