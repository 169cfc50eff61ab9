"""The token endpoints: OAuth2 password and client-credentials grants, refresh, logout."""

from __future__ import annotations

from typing import Annotated, Literal

# FastAPI imports python-multipart lazily to parse forms; importing it here lets Pants see it.
import python_multipart  # noqa: F401
from fastapi import APIRouter, Form, status

from chassis.app import problems
from chassis.db import UnitOfWorkDep, next_id
from chassis.errors import ProblemError
from users.api.deps import (
    ClientAddress,
    Hasher,
    IssuingDep,
    Keys,
    RefreshTokens,
    Throttle,
    Users,
)
from users.api.schemas import USERNAME_PATTERN, RefreshRequest, TokenResponse
from users.service import authentication, tokens

router = APIRouter(prefix="/v1/auth", tags=["auth"])

Field = Annotated[str | None, Form(max_length=256)]


@router.post("/token", responses=problems(401, 429))
def issue_token(
    uow: UnitOfWorkDep,
    users: Users,
    refresh_tokens: RefreshTokens,
    hasher: Hasher,
    keys: Keys,
    issuing: IssuingDep,
    client: ClientAddress,
    throttle: Throttle,
    grant_type: Annotated[Literal["password", "client_credentials"], Form()] = "password",
    username: Annotated[str | None, Form(max_length=64, pattern=USERNAME_PATTERN)] = None,
    password: Field = None,
    client_id: Annotated[str | None, Form(max_length=128, pattern=USERNAME_PATTERN)] = None,
    client_secret: Field = None,
    scope: Field = None,
) -> TokenResponse:
    """Log in: `username` + `password` (a user), or `grant_type=client_credentials` with
    `client_id` + `client_secret` (a fleet service, role `service`, no refresh token)."""
    if grant_type == "client_credentials":
        if not client_id or client_secret is None:
            raise _missing("client_id and client_secret")
        account = authentication.authenticate_service(
            client_id,
            client_secret,
            client=client,
            accounts=issuing.service_accounts,
            hasher=hasher,
            throttle=throttle,
            commit=uow.commit,
        )
        pair = tokens.issue_for_service(account, signer=keys, policy=issuing.policy)
        return TokenResponse.of(pair)
    if not username or password is None:
        raise _missing("username and password")
    user = authentication.authenticate(
        username,
        password,
        client=client,
        users=users,
        hasher=hasher,
        throttle=throttle,
        commit=uow.commit,
    )
    pair = tokens.issue_for_user(
        user, signer=keys, refresh_tokens=refresh_tokens, policy=issuing.policy, ids=next_id
    )
    uow.commit()
    return TokenResponse.of(pair)


@router.post("/refresh", responses=problems(401))
def refresh_token(
    body: RefreshRequest,
    uow: UnitOfWorkDep,
    users: Users,
    refresh_tokens: RefreshTokens,
    keys: Keys,
    issuing: IssuingDep,
) -> TokenResponse:
    """A new access and refresh token for a refresh token, which is used up."""
    pair = tokens.refresh(
        body.refresh_token,
        users=users,
        refresh_tokens=refresh_tokens,
        signer=keys,
        policy=issuing.policy,
        ids=next_id,
        events=uow,
        commit=uow.commit,
    )
    return TokenResponse.of(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, uow: UnitOfWorkDep, refresh_tokens: RefreshTokens) -> None:
    """End the session the refresh token belongs to: every refresh token of its family, and its
    access tokens on every service within moments."""
    tokens.logout(
        body.refresh_token,
        refresh_tokens=refresh_tokens,
        events=uow,
        commit=uow.commit,
    )


def _missing(fields: str) -> ProblemError:
    return ProblemError(
        400, "Bad Request", f"this grant needs {fields}", type="urn:fleet:problem:invalid_request"
    )
