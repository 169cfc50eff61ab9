"""The tasks app on the session's database and broker (chassis `service_apps`), a stand-in for
users, real tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chassis.testing import FlakyServer, ServiceApps, ServiceAppsFactory, TokenIssuer
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)
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


@pytest.fixture
def users(flaky_server: FlakyServer) -> FlakyServer:
    """Users' HTTP API, stood in for: every user is an active technician unless scripted."""
    flaky_server.answer(200, {"id": "7", "username": "tess", "role": "technician", "active": True})
    return flaky_server


@pytest.fixture
def apps(users: FlakyServer, service_apps: ServiceAppsFactory) -> ServiceApps[TasksSettings]:
    """Tasks apps asking `users`; the tables are emptied after the test."""
    return service_apps(
        build,
        TasksSettings,
        mqtt={"session_expiry": 60},
        users={"base_url": users.url, **FAST_USERS},
        empty_tables=TABLES,
    )


@pytest.fixture
def app(apps: ServiceApps[TasksSettings]) -> TestClient:
    return apps.client()


@pytest.fixture
def as_user(token_issuer: TokenIssuer) -> Callable[..., dict[str, str]]:
    """Headers of a caller: `as_user("42", "operator")`."""

    def headers(subject: str = "100", role: str = "operator") -> dict[str, str]:
        return {"Authorization": f"Bearer {token_issuer.mint(subject, role=role)}"}

    return headers
