"""The public contract of the users API: request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts import SnowflakeId
from users.service.model import Role, User
from users.service.password_policy import MIN_LENGTH
from users.service.tokens import TokenPair

# A shape check only (email-validator is not in the lockfile); ownership is not verified.
EMAIL_PATTERN = r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$"
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
# A cursor as pages issue it (the last id of the previous page): any other string is a 422.
ID_CURSOR = r"^[0-9]{1,19}$"
NEXT_PAGE = "The previous page's `next_cursor`."
Username = Field(min_length=3, max_length=64, pattern=USERNAME_PATTERN)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Username
    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    password: str = Field(
        min_length=1,
        # Declared as the password policy enforces it, which names the rule when refusing.
        json_schema_extra={"minLength": MIN_LENGTH},
        max_length=256,
        description="At least 12 characters, not the username or email, not a common password.",
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    active: bool | None = None
    reason: str | None = Field(None, max_length=500, description="Why (sent with deactivation).")


class UserPublic(BaseModel):
    id: SnowflakeId
    username: str
    email: str | None = Field(
        description="Shown to the account itself and to admins; null for everyone else."
    )
    role: Role
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User, *, show_email: bool) -> UserPublic:
        return cls(
            id=user.id,
            username=user.username,
            email=user.email if show_email else None,
            role=user.role,
            active=user.active,
            created_at=user.created_at,
        )


class UserPage(BaseModel):
    items: list[UserPublic]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last.")


class TokenResponse(BaseModel):
    """OAuth2 token response (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the scheme's name, not a secret)
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token: str | None = None

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            access_token=pair.access_token,
            expires_in=pair.expires_in,
            refresh_token=pair.refresh_token,
        )


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=512)


class JsonWebKeySet(BaseModel):
    keys: list[dict[str, str]]
