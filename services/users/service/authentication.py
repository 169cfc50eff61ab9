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
    which usernames exist; an inactive account fails the same way as a wrong password. A failure
    is committed at once (the caller's transaction ends with the error); a success forgets this
    client's failures on the account when the caller commits.
    """
    account = username.casefold()
    throttle.check(account, client)
    user = users.by_username(username)
    if user is None:
        hasher.verify(hasher.decoy_hash, password)
        matches = False
    else:
        matches = hasher.verify(user.password_hash, password)
    if user is None or not matches or not user.active:
        throttle.failed(account, client)
        commit()
        raise InvalidCredentials()
    throttle.succeeded(account, client)
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
    commit: Callable[[], None],
) -> str:
    """The client id of a service account whose secret matches its stored hash."""
    account = f"service:{client_id}"  # ':' is no username's, so the two never share counts
    throttle.check(account, client)
    stored = accounts.get(client_id)
    matches = hasher.verify(stored or hasher.decoy_hash, client_secret)
    if stored is None or not matches:
        throttle.failed(account, client)
        commit()
        raise InvalidCredentials()
    throttle.succeeded(account, client)
    commit()
    return client_id
