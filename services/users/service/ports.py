"""What the service layer needs from the outside world, as small interfaces (adapters fill them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from contracts import EventData
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
    def by_idempotency_key(self, key: str) -> User | None: ...
    def exists(self, *, username: str, email: str) -> bool: ...
    def add(self, user: User, *, idempotency_key: str | None = None) -> None: ...
    def save(self, user: User) -> None: ...
    def page(self, where: UserFilter, *, limit: int, cursor: str | None) -> UserPage: ...


class RefreshTokenRepository(Protocol):
    def by_hash(self, token_hash: str) -> RefreshToken | None: ...
    def add(self, token: RefreshToken) -> None: ...
    def mark_used(self, token: RefreshToken) -> None: ...
    def revoke_family(self, family_id: int) -> None: ...
    def revoke_user(self, user_id: int) -> None: ...


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


class EventLog(Protocol):
    """Records an event to be published with the transaction (the outbox)."""

    def record(self, event: EventData) -> None: ...
