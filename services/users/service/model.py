"""The accounts and refresh tokens the service keeps, in plain Python (no framework, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Role = Literal["admin", "operator", "technician"]
"""Roles a person can hold; `service` belongs to service accounts only, never to a user."""

DEFAULT_ROLE: Role = "technician"


@dataclass
class User:
    id: int
    username: str
    email: str
    password_hash: str
    role: Role
    active: bool
    created_at: datetime


@dataclass
class RefreshToken:
    """One link of a refresh-token family; only its hash is stored.

    Every use replaces the token with a new one in the same family; a used token presented
    again means it leaked, and the whole family is revoked.
    """

    id: int
    family_id: int
    user_id: int
    token_hash: str
    expires_at: datetime
    used: bool = False
    revoked: bool = False


@dataclass(frozen=True)
class UserChanges:
    """What an admin may change on an account."""

    role: Role | None = None
    active: bool | None = None
    reason: str | None = None
