"""The dependencies routes share, as Annotated aliases (components of the app, the repositories)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from chassis.db import UnitOfWorkDep
from chassis.lifecycle import Component
from users.adapters.issuing import Issuing
from users.adapters.passwords import Argon2Hasher
from users.adapters.recent_users import RecentUsers
from users.adapters.repository import SqlRefreshTokenRepository, SqlUserRepository
from users.adapters.signing_keys import SigningKeys

C = TypeVar("C", bound=Component)


def _component(kind: type[C]) -> Callable[[Request], Awaitable[C]]:
    # chassis.app.component is a sync dependency: FastAPI runs each in a worker thread, a hop
    # that costs more than the rest of a cached GET /v1/users/me. A lookup needs no thread.
    async def get(request: Request) -> C:
        component: C = request.app.state.components.get(kind)
        return component

    get.__name__ = f"component_{kind.__name__}"
    return get


Keys = Annotated[SigningKeys, Depends(_component(SigningKeys))]
Hasher = Annotated[Argon2Hasher, Depends(_component(Argon2Hasher))]
Recent = Annotated[RecentUsers, Depends(_component(RecentUsers))]
IssuingDep = Annotated[Issuing, Depends(_component(Issuing))]


def _users(uow: UnitOfWorkDep) -> SqlUserRepository:
    return SqlUserRepository(uow.session)


def _refresh_tokens(uow: UnitOfWorkDep) -> SqlRefreshTokenRepository:
    return SqlRefreshTokenRepository(uow.session)


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


Users = Annotated[SqlUserRepository, Depends(_users)]
RefreshTokens = Annotated[SqlRefreshTokenRepository, Depends(_refresh_tokens)]
ClientAddress = Annotated[str, Depends(_client_address)]
