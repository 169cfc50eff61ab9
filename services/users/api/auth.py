"""The token endpoints: OAuth2 password and client-credentials grants, refresh, logout."""

from __future__ import annotations

from typing import Annotated, Literal

# FastAPI imports python-multipart lazily to parse forms; importing it here lets Pants see it.
import python_multipart  # noqa: F401
from fastapi import APIRouter, Form, status

from chassis.app import problems
from chassis.db import next_id
from chassis.errors import ProblemError
from users.adapters.work import SqlUserWork
from users.api.deps import ClientAddress, Hasher, IssuingDep, Keys, Tx
from users.api.schemas import USERNAME_PATTERN, RefreshRequest, TokenResponse
from users.service import authentication, tokens
from users.service.login_throttle import LoginThrottle

router = APIRouter(prefix="/v1/auth", tags=["auth"])

Field = Annotated[str | None, Form(max_length=256)]


@router.post("/token", responses=problems(401, 429))
async def issue_token(
    tx: Tx,
    hasher: Hasher,
    keys: Keys,
    issuing: IssuingDep,
    client: ClientAddress,
    grant_type: Annotated[Literal["password", "client_credentials"], Form()] = "password",
    username: Annotated[str | None, Form(max_length=64, pattern=USERNAME_PATTERN)] = None,
    password: Field = None,
    client_id: Annotated[str | None, Form(max_length=128, pattern=USERNAME_PATTERN)] = None,
    client_secret: Field = None,
    scope: Field = None,
) -> TokenResponse:
    """Log in: `username` + `password` (a user), or `grant_type=client_credentials` with
    `client_id` + `client_secret` (a fleet service, role `service`, no refresh token)."""
    # The whole login runs in one worker thread (`tx`): argon2 (~50 ms a verification, by
    # design) and the signature never hold up the event loop.
    if grant_type == "client_credentials":
        if not client_id or client_secret is None:
            raise _missing("client_id and client_secret")
        service_id, service_secret = client_id, client_secret

        def service_login(work: SqlUserWork) -> tokens.TokenPair:
            account = authentication.authenticate_service(
                service_id,
                service_secret,
                client=client,
                accounts=issuing.service_accounts,
                hasher=hasher,
                throttle=LoginThrottle(work.login_failures, issuing.throttle),
                commit=work.commit,
            )
            return tokens.issue_for_service(account, signer=keys, policy=issuing.policy)

        return TokenResponse.of(await tx(service_login))
    if not username or password is None:
        raise _missing("username and password")
    name, given = username, password

    def user_login(work: SqlUserWork) -> tokens.TokenPair:
        user = authentication.authenticate(
            name,
            given,
            client=client,
            users=work.users,
            hasher=hasher,
            throttle=LoginThrottle(work.login_failures, issuing.throttle),
            commit=work.commit,
        )
        return tokens.issue_for_user(
            user,
            signer=keys,
            refresh_tokens=work.refresh_tokens,
            policy=issuing.policy,
            ids=next_id,
        )

    return TokenResponse.of(await tx(user_login))


@router.post("/refresh", responses=problems(401))
async def refresh_token(
    body: RefreshRequest, tx: Tx, keys: Keys, issuing: IssuingDep
) -> TokenResponse:
    """A new access and refresh token for a refresh token, which is used up."""
    pair = await tx(
        lambda work: tokens.refresh(
            body.refresh_token,
            users=work.users,
            refresh_tokens=work.refresh_tokens,
            signer=keys,
            policy=issuing.policy,
            ids=next_id,
            events=work.events,
            commit=work.commit,
        )
    )
    return TokenResponse.of(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshRequest, tx: Tx) -> None:
    """End the session the refresh token belongs to: every refresh token of its family, and its
    access tokens on every service within moments."""
    await tx(
        lambda work: tokens.logout(
            body.refresh_token,
            refresh_tokens=work.refresh_tokens,
            events=work.events,
            commit=work.commit,
        )
    )


def _missing(fields: str) -> ProblemError:
    return ProblemError(
        400, "Bad Request", f"this grant needs {fields}", type="urn:fleet:problem:invalid_request"
    )
