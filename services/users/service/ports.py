"""What the service layer needs from the outside world, as small interfaces (adapters fill them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from users.service.model import RefreshToken, Role, User


@dataclass(frozen=True)
class UserFilter:
    role: Role | None = None
    active: bool | None = None


@dataclass(frozen=True)
class UserPage:
    items: list[User]
    next_cursor: str | None


class UserRepository(Protocol):
    def get(self, user_id: int) -> User | None: ...
    def by_username(self, username: str) -> User | None: ...
    def username_taken(self, username: str) -> bool: ...
    def email_taken(self, email: str) -> bool: ...
    def add(self, user: User) -> None: ...
    def save(self, user: User) -> None: ...
    def page(self, where: UserFilter, *, limit: int, cursor: str | None) -> UserPage: ...


class RefreshTokenRepository(Protocol):
    def by_hash(self, token_hash: str) -> RefreshToken | None: ...
    def add(self, token: RefreshToken) -> None: ...
    def mark_used(self, token: RefreshToken) -> None: ...
    def revoke_family(self, family_id: int) -> None: ...
    def revoke_user(self, user_id: int) -> None: ...


@dataclass(frozen=True)
class Failures:
    """The failed logins one client has made on one account, and when the last one was."""

    count: int
    last_at: datetime


class LoginFailures(Protocol):
    """Recent failed logins per (account, client), shared by every replica of the service."""

    def of(self, account: str, client: str) -> Failures | None: ...
    def on_account(self, account: str, *, since: datetime) -> int:
        """Failures on `account` from every client, in pairs that failed since `since`."""
        ...

    def accounts_failed_from(self, client: str, *, since: datetime, limit: int) -> list[datetime]:
        """When each account `client` failed on since `since` last failed, newest first."""
        ...

    def record(self, account: str, client: str, *, at: datetime, forget_before: datetime) -> None:
        """Count one more failure (a pair whose last failure is before `forget_before` restarts
        at 1), and drop pairs quiet since then."""
        ...

    def clear(self, account: str, client: str) -> None: ...


class PasswordHasher(Protocol):
    @property
    def decoy_hash(self) -> str:
        """A hash of no one's password, verified for unknown users to spend the same time."""
        ...

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class Signer(Protocol):
    """Signs access-token claims with the current key (its `kid` in the header)."""

    def sign(self, claims: Mapping[str, Any]) -> str: ...
