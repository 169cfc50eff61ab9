"""Fixtures for the auth tests: a token issuer with a real JWKS server, and apps that trust it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI

from chassis.app import create_app
from chassis.auth import CurrentPrincipal, JwksKeySet, current_token, require_roles
from chassis.config import ServiceSettings
from chassis.testing.tokens import TokenIssuer

StartKeys = Callable[..., Awaitable[JwksKeySet]]


@pytest.fixture
def issuer() -> Iterator[TokenIssuer]:
    with TokenIssuer() as token_issuer:
        yield token_issuer


@pytest.fixture
async def start_keys(issuer: TokenIssuer) -> AsyncIterator[StartKeys]:
    """Start a key set trusting `issuer`, with settings overridden; stopped after the test."""
    started: list[JwksKeySet] = []

    async def start(**overrides: Any) -> JwksKeySet:
        keys = JwksKeySet(issuer.auth_settings(**overrides))
        await keys.start()
        started.append(keys)
        return keys

    yield start
    for keys in started:
        await keys.stop()


def sample_app(keys: JwksKeySet) -> FastAPI:
    """A service with one route any principal may call and one for operators and admins."""
    router = APIRouter(prefix="/v1")

    @router.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, str | bool | None]:
        return {
            "id": principal.id,
            "role": principal.role,
            "username": principal.username,
            "forwards_own_token": current_token() == principal.token,
        }

    @router.post("/devices", dependencies=[Depends(require_roles("operator", "admin"))])
    async def create_device() -> dict[str, str]:
        return {"status": "created"}

    return create_app(ServiceSettings(name="auth-sample"), routers=[router], components=[keys])
