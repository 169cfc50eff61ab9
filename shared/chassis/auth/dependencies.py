"""FastAPI dependencies: the authenticated principal, role checks, and the OAuth2 scheme."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

from chassis.auth.keys import JwksKeySet
from chassis.auth.principal import ROLES, Principal, Role, set_current_principal
from chassis.auth.verify import InvalidToken
from chassis.errors import ProblemError
from chassis.errors.problem import problem_type
from chassis.lifecycle.dependencies import component
from chassis.logging import tagged_logger

_log = tagged_logger("AUTH")

# auto_error off: a missing token is answered below as problem+json, like every other error.
# The token URL is a setting (auth.token_url), unknown at import: the scheme names none, and
# create_app writes the app's key set's into the app's OpenAPI document (`use_token_url`).
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl="",
    scheme_name="FleetBearer",
    description="An access token from the users service (POST /v1/auth/token).",
    auto_error=False,
)


async def authenticate(
    token: Annotated[str | None, Depends(bearer_scheme)],
    keys: Annotated[JwksKeySet, Depends(component(JwksKeySet))],
) -> Principal:
    """The verified caller, or 401. Also makes the token the request's `current_token()`."""
    if not token:
        raise _unauthorized("missing bearer token (Authorization: Bearer <token>)", error=None)
    try:
        principal = await keys.verify(token)
    except InvalidToken as exc:
        _log.info("token refused: %s", exc.reason)
        raise _unauthorized(exc.reason, error="invalid_token") from None
    set_current_principal(principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]
"""The authenticated caller: `async def me(principal: CurrentPrincipal) -> UserPublic`."""


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only principals with one of `roles` (403 otherwise).

    Roles are not ranked: name every role that may pass, admin included.

    >>> Operator = Annotated[Principal, Depends(require_roles("operator", "admin"))]
    >>> @router.post("/v1/devices", dependencies=[Depends(require_roles("admin"))])
    """
    unknown = set(roles) - ROLES
    if not roles or unknown:
        raise ValueError(f"require_roles needs roles among {sorted(ROLES)}, got {roles!r}")
    allowed = " or ".join(roles)

    async def check_role(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise ProblemError(
                403,
                "Forbidden",
                f"requires the role {allowed}; the caller is {principal.role}",
                type=problem_type("RoleRequired"),
                headers={"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            )
        return principal

    check_role.__name__ = f"require_{'_or_'.join(roles)}"
    return check_role


def use_token_url(app: FastAPI, token_url: str) -> None:
    """Point the OpenAPI document's password flow (Swagger's Authorize) at `token_url`.
    `create_app` does it with the `auth.token_url` of the app's `JwksKeySet`.

    >>> use_token_url(app, settings.auth.token_url)
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = generate()
            schemes = app.openapi_schema.get("components", {}).get("securitySchemes", {})
            for scheme in schemes.values():
                if password := scheme.get("flows", {}).get("password"):
                    password["tokenUrl"] = token_url
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _unauthorized(reason: str, *, error: str | None) -> ProblemError:
    # RFC 6750: a bare challenge when no token came, the error code when one was refused.
    quoted = reason.replace("\\", "").replace('"', "'")
    challenge = f'Bearer error="{error}", error_description="{quoted}"' if error else "Bearer"
    return ProblemError(
        401,
        "Unauthorized",
        reason,
        type=problem_type("InvalidToken" if error else "NotAuthenticated"),
        headers={"WWW-Authenticate": challenge},
    )
