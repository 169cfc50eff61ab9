"""Registering an account: the policy, uniqueness, the hash, and the user.registered event.

Self-registration does not tell who has an account (OWASP Authentication cheat sheet): an email
that is already registered gets the same answer, in the same time (the password is hashed either
way), as a new one, but nothing is created and the existing account is untouched. Usernames are
not secret (every user sees them), so a taken username is still refused: the caller must choose
another. The fleet sends no mail; a mailer would tell the address's owner in `register_self`.
An operator creating an account (`create-admin`) is told plainly (`register`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from chassis.db import EventLog
from contracts.users import UserRegistered
from users.service.errors import AccountExists, EmailTaken
from users.service.model import DEFAULT_ROLE, Role, User
from users.service.password_policy import check_password
from users.service.ports import PasswordHasher, UserRepository

_log = logging.getLogger("fleet.users")


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
) -> User:
    """Create the account, to commit with its event (the caller commits; a retry under an
    Idempotency-Key is answered by the API layer)."""
    username, email = registration.username, registration.email.lower()
    check_password(registration.password, username=username, email=email)
    user = User(
        id=new_id,
        username=username,
        email=email,
        password_hash=hasher.hash(registration.password),  # first: every answer costs a hash
        role=registration.role,
        active=True,
        created_at=datetime.now(UTC),
    )
    if users.username_taken(username):
        raise AccountExists("username is already registered")
    if users.email_taken(email):
        raise EmailTaken(lookalike=user)
    users.add(user)
    events.record(
        UserRegistered(
            user_id=user.id, username=user.username, role=user.role, registered_at=user.created_at
        )
    )
    return user


def register_self(
    registration: Registration,
    *,
    new_id: int,
    users: UserRepository,
    hasher: PasswordHasher,
    events: EventLog,
) -> User:
    """`register` for an anonymous caller: a taken email answers like a new account."""
    try:
        return register(
            registration,
            new_id=new_id,
            users=users,
            hasher=hasher,
            events=events,
        )
    except EmailTaken as taken:
        _log.info("registration of %s with a registered email: nothing created", taken.username)
        return taken.lookalike  # never stored
