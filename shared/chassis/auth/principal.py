"""Who is calling: the verified subject of an access token, and its token for onward calls."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from contracts.ids import parse_id

Role = Literal["admin", "operator", "technician", "service"]
ROLES: frozenset[str] = frozenset(get_args(Role))


class Principal(BaseModel):
    """The caller a verified token names.

    `id` is the token's `sub` as issued: a user's snowflake id in digits, or a service account's
    client id. The raw token is kept private (out of repr, dumps and logs) and only handed out by
    `token`, to forward on calls to other services.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The subject: a user's snowflake id, or a service's client id.")
    role: Role
    username: str | None = None
    expires_at: datetime | None = None
    issued_at: datetime | None = None
    session_id: str | None = Field(None, description="The login session (`sid`) it belongs to.")
    _token: str = PrivateAttr(default="")

    @classmethod
    def from_claims(cls, claims: dict[str, Any], token: str) -> Principal:
        """Build from verified claims (`sub`, `role`, `username` or `preferred_username`, `exp`,
        `iat`, `sid`)."""
        sid = claims.get("sid")
        principal = cls(
            id=claims["sub"],
            role=claims.get("role"),
            username=claims.get("username") or claims.get("preferred_username"),
            expires_at=claims.get("exp"),
            issued_at=claims.get("iat"),
            session_id=str(sid) if sid is not None else None,
        )
        principal._token = token
        return principal

    @property
    def token(self) -> str:
        """The raw bearer token, to forward to downstream services. Never log it."""
        return self._token

    @property
    def user_id(self) -> int | None:
        """The subject as a snowflake integer; None for a service account."""
        return parse_id(self.id)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


# Set by the CurrentPrincipal dependency for the rest of the request, so code that calls other
# services (the chassis HTTP client's token provider) needs no principal threaded through it.
_current: ContextVar[Principal | None] = ContextVar("fleet_principal", default=None)


def current_principal() -> Principal | None:
    """The principal of the request being served, if it was authenticated."""
    return _current.get()


def current_token() -> str | None:
    """The bearer token of the request being served: a token provider for downstream calls."""
    principal = _current.get()
    return principal.token if principal is not None else None


async def caller_token() -> str | None:
    """`current_token` as the chassis HTTP client's token provider: forwards the caller's token.

    >>> users = DownstreamClient("users-api", settings.users, token_provider=caller_token)
    """
    return current_token()


def set_current_principal(principal: Principal | None) -> None:
    _current.set(principal)
