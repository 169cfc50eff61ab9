"""The users app on this session's database and broker (chassis `service_apps`), with fast argon2
parameters."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import argon2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.db import Database
from chassis.testing import ServiceApps, ServiceAppsFactory
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)
from users.adapters.passwords import Argon2Hasher
from users.adapters.repository import SqlUserRepository
from users.main import build
from users.settings import UsersSettings

PASSWORD = "correct horse battery"


def fast_hasher() -> Argon2Hasher:
    # The library defaults take ~0.25 s a hash; tests need many.
    return Argon2Hasher(argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def apps(service_apps: ServiceAppsFactory, tmp_path: Path) -> ServiceApps[UsersSettings]:
    return service_apps(
        build,
        UsersSettings,
        fakes={Argon2Hasher: fast_hasher},
        auth=None,  # users verifies its own tokens, with its own keys
        tokens={"keys_dir": str(tmp_path / "keys")},
        service_accounts={"devices": fast_hasher().hash("devices-secret-123")},
    )


@pytest.fixture
def settings(apps: ServiceApps[UsersSettings]) -> UsersSettings:
    return apps.settings()


@pytest.fixture
def app(apps: ServiceApps[UsersSettings], settings: UsersSettings) -> FastAPI:
    return apps.app(settings)


@pytest.fixture
def client(apps: ServiceApps[UsersSettings], app: FastAPI) -> TestClient:
    return apps.client(app)


class Accounts:
    """Registers and logs in users through the API; promotes them straight in the database."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        # Unique across the session's shared database (id(self) is reused once freed).
        self._prefix = f"user{uuid.uuid4().hex[:10]}"
        self._serial = 0

    def register(self, role: str = "technician", **fields: Any) -> dict[str, Any]:
        self._serial += 1
        name = fields.pop("username", None) or f"{self._prefix}x{self._serial}"
        body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD} | fields
        response = self.client.post("/v1/users", json=body)
        assert response.status_code == 201, response.text
        user: dict[str, Any] = response.json()
        if role != "technician":
            self.set_role(int(user["id"]), role)
            user["role"] = role
        return user

    def set_role(self, user_id: int, role: str) -> None:
        app: FastAPI = self.client.app  # type: ignore[assignment]
        database = app.state.components.get(Database)
        with database.unit_of_work() as uow:
            users = SqlUserRepository(uow.session)
            user = users.get(user_id)
            assert user is not None
            user.role = role  # type: ignore[assignment]
            users.save(user)
            uow.commit()

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client.post(
            "/v1/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def bearer(self, role: str = "technician") -> tuple[dict[str, Any], dict[str, str]]:
        """A new user with `role` and the Authorization header of their access token."""
        user = self.register(role)
        token = self.login(user["username"])["access_token"]
        return user, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def accounts(client: TestClient) -> Accounts:
    return Accounts(client)
