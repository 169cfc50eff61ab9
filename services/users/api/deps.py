"""The dependencies routes share, as Annotated aliases (components of the app, the repositories)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chassis.app import component
from chassis.db import UnitOfWorkDep
from users.adapters.issuing import Issuing
from users.adapters.login_failures import SqlLoginFailures
from users.adapters.passwords import Argon2Hasher
from users.adapters.recent_users import RecentUsers
from users.adapters.repository import SqlRefreshTokenRepository, SqlUserRepository
from users.adapters.signing_keys import SigningKeys
from users.service.login_throttle import LoginThrottle

Keys = Annotated[SigningKeys, Depends(component(SigningKeys))]
Hasher = Annotated[Argon2Hasher, Depends(component(Argon2Hasher))]
Recent = Annotated[RecentUsers, Depends(component(RecentUsers))]
IssuingDep = Annotated[Issuing, Depends(component(Issuing))]


# async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request.
async def _users(uow: UnitOfWorkDep) -> SqlUserRepository:
    return SqlUserRepository(uow.session)


async def _refresh_tokens(uow: UnitOfWorkDep) -> SqlRefreshTokenRepository:
    return SqlRefreshTokenRepository(uow.session)


async def _throttle(uow: UnitOfWorkDep, issuing: IssuingDep) -> LoginThrottle:
    return LoginThrottle(SqlLoginFailures(uow.session), issuing.throttle)


async def _client_address(request: Request) -> str:
    # The chassis put the client behind trusted proxies here (http.trusted_proxies).
    return request.client.host[:64] if request.client else "unknown"


Users = Annotated[SqlUserRepository, Depends(_users)]
RefreshTokens = Annotated[SqlRefreshTokenRepository, Depends(_refresh_tokens)]
ClientAddress = Annotated[str, Depends(_client_address)]
Throttle = Annotated[LoginThrottle, Depends(_throttle)]
