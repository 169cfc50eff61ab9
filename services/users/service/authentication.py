"""Checking who someone is: a user's password, or a service account's secret."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from users.service.errors import InvalidCredentials
from users.service.login_throttle import LoginThrottle
from users.service.model import User
from users.service.ports import PasswordHasher, UserRepository


def authenticate(
    username: str,
    password: str,
    *,
    client: str,
    users: UserRepository,
    hasher: PasswordHasher,
    throttle: LoginThrottle,
    commit: Callable[[], None],
) -> User:
    """The active user these credentials name, or InvalidCredentials (or TooManyAttempts).

    An unknown username costs one hash verification too, so the answer's timing does not tell
    which usernames exist; an inactive account fails the same way as a wrong password.
    """
    keys = (f"user:{username.casefold()}", f"address:{client}")
    throttle.check(keys)
    user = users.by_username(username)
    if user is None:
        hasher.verify(hasher.decoy_hash, password)
        matches = False
    else:
        matches = hasher.verify(user.password_hash, password)
    if user is None or not matches or not user.active:
        throttle.failed(keys)
        raise InvalidCredentials()
    throttle.forget(keys[0])
    if hasher.needs_rehash(user.password_hash):  # parameters changed since it was hashed
        user.password_hash = hasher.hash(password)
        users.save(user)
        commit()
    return user


def authenticate_service(
    client_id: str,
    client_secret: str,
    *,
    client: str,
    accounts: Mapping[str, str],
    hasher: PasswordHasher,
    throttle: LoginThrottle,
) -> str:
    """The client id of a service account whose secret matches its stored hash."""
    keys = (f"client:{client_id}", f"address:{client}")
    throttle.check(keys)
    stored = accounts.get(client_id)
    matches = hasher.verify(stored or hasher.decoy_hash, client_secret)
    if stored is None or not matches:
        throttle.failed(keys)
        raise InvalidCredentials()
    return client_id
