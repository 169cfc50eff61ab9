"""Registering an account: the policy, uniqueness, the hash, and the user.registered event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from contracts import UserRegistered
from users.service.errors import AccountExists
from users.service.model import DEFAULT_ROLE, Role, User
from users.service.password_policy import check_password
from users.service.ports import EventLog, PasswordHasher, UserRepository


@dataclass(frozen=True)
class Registration:
    username: str
    email: str
    password: str
    role: Role = DEFAULT_ROLE


def register(
    registration: Registration,
    *,
    new_id: int,
    users: UserRepository,
    hasher: PasswordHasher,
    events: EventLog,
    commit: Callable[[], None],
    idempotency_key: str | None = None,
) -> User:
    """Create the account, or return the one this idempotency key already created."""
    if idempotency_key is not None and (earlier := users.by_idempotency_key(idempotency_key)):
        return earlier
    username, email = registration.username, registration.email.lower()
    check_password(registration.password, username=username, email=email)
    if users.exists(username=username, email=email):
        raise AccountExists("username or email is already registered")
    user = User(
        id=new_id,
        username=username,
        email=email,
        password_hash=hasher.hash(registration.password),
        role=registration.role,
        active=True,
        created_at=datetime.now(UTC),
    )
    users.add(user, idempotency_key=idempotency_key)
    events.record(
        UserRegistered(
            user_id=user.id, username=user.username, role=user.role, registered_at=user.created_at
        )
    )
    commit()
    return user
