"""Fixtures for the auth tests: key sets and apps trusting the plugin's `token_issuer`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI

from chassis.app import create_app
from chassis.auth import CurrentPrincipal, JwksKeySet, caller_token, require_roles
from chassis.config import ServiceSettings
from chassis.lifecycle import Component
from chassis.testing.plugin import *  # noqa: F403  (the plugin's fixtures, for these tests)
from chassis.testing.tokens import TokenIssuer

StartKeys = Callable[..., Awaitable[JwksKeySet]]


@pytest.fixture
async def start_keys(token_issuer: TokenIssuer) -> AsyncIterator[StartKeys]:
    """Start a key set trusting `token_issuer`, with settings overridden; stopped after the test."""
    started: list[JwksKeySet] = []

    async def start(**overrides: Any) -> JwksKeySet:
        keys = JwksKeySet(token_issuer.auth_settings(**overrides))
        await keys.start()
        started.append(keys)
        return keys

    yield start
    for keys in started:
        await keys.stop()


def sample_app(keys: JwksKeySet, *others: Component) -> FastAPI:
    """A service with one route any principal may call and one for operators and admins;
    `others` are more components (a bus)."""
    router = APIRouter(prefix="/v1")

    @router.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, str | bool | None]:
        return {
            "id": principal.id,
            "role": principal.role,
            "username": principal.username,
            "forwards_own_token": await caller_token() == principal.token,
        }

    @router.post("/devices", dependencies=[Depends(require_roles("operator", "admin"))])
    async def create_device() -> dict[str, str]:
        return {"status": "created"}

    return create_app(
        ServiceSettings(name="auth-sample"), routers=[router], components=[*others, keys]
    )
