"""In-memory stand-ins for the service layer's ports. Each subclasses the port it stands in
for, so mypy proves it matches (a method the port gains or changes fails the check here)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from users.service.model import RefreshToken, Role, User
from users.service.ports import (
    Failures,
    LoginFailures,
    PasswordHasher,
    RefreshTokenRepository,
    Signer,
    UserFilter,
    UserPage,
    UserRepository,
)

_ids = itertools.count(1)


def new_id() -> int:
    return next(_ids)


def a_user(username: str = "alice", role: Role = "technician", **fields: Any) -> User:
    values: dict[str, Any] = {
        "id": new_id(),
        "username": username,
        "email": f"{username}@example.com",
        "password_hash": "plain:correct horse battery",
        "role": role,
        "active": True,
        "created_at": datetime.now(UTC),
    }
    return User(**(values | fields))


class FakeUsers(UserRepository):
    def __init__(self, *users: User) -> None:
        self.users = {u.id: u for u in users}
        self.saved: list[int] = []

    def get(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def by_username(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def username_taken(self, username: str) -> bool:
        return any(u.username == username for u in self.users.values())

    def email_taken(self, email: str) -> bool:
        return any(u.email == email for u in self.users.values())

    def add(self, user: User) -> None:
        self.users[user.id] = user

    def save(self, user: User) -> None:
        self.users[user.id] = user
        self.saved.append(user.id)

    def page(self, where: UserFilter, *, limit: int, cursor: str | None) -> UserPage:
        return UserPage(list(self.users.values())[:limit], None)


class FakeRefreshTokens(RefreshTokenRepository):
    def __init__(self) -> None:
        self.tokens: dict[str, RefreshToken] = {}

    def by_hash(self, token_hash: str) -> RefreshToken | None:
        return self.tokens.get(token_hash)

    def add(self, token: RefreshToken) -> None:
        self.tokens[token.token_hash] = token

    def mark_used(self, token: RefreshToken) -> None:
        token.used = True

    def revoke_family(self, family_id: int) -> None:
        for token in self.tokens.values():
            if token.family_id == family_id:
                token.revoked = True

    def revoke_user(self, user_id: int) -> None:
        for token in self.tokens.values():
            if token.user_id == user_id:
                token.revoked = True


class FakeLoginFailures(LoginFailures):
    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], Failures] = {}

    def of(self, account: str, client: str) -> Failures | None:
        return self.pairs.get((account, client))

    def on_account(self, account: str, *, since: datetime) -> int:
        return sum(
            f.count for (a, _), f in self.pairs.items() if a == account and f.last_at > since
        )

    def accounts_failed_from(self, client: str, *, since: datetime, limit: int) -> list[datetime]:
        moments = [
            f.last_at for (_, c), f in self.pairs.items() if c == client and f.last_at > since
        ]
        return sorted(moments, reverse=True)[:limit]

    def record(self, account: str, client: str, *, at: datetime, forget_before: datetime) -> None:
        earlier = self.pairs.get((account, client))
        count = earlier.count + 1 if earlier and earlier.last_at >= forget_before else 1
        self.pairs[(account, client)] = Failures(count, at)

    def clear(self, account: str, client: str) -> None:
        self.pairs.pop((account, client), None)


class PlainHasher(PasswordHasher):
    """Stores passwords as `plain:<password>` and counts verifications (timing parity tests)."""

    def __init__(self, prefix: str = "plain:") -> None:
        self.prefix = prefix
        self.verifications = 0

    @property
    def decoy_hash(self) -> str:
        return f"{self.prefix}\0decoy"

    def hash(self, password: str) -> str:
        return self.prefix + password

    def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return password_hash.split(":", 1)[-1] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(self.prefix)


class FakeSigner(Signer):
    def __init__(self) -> None:
        self.signed: list[dict[str, Any]] = []

    def sign(self, claims: Mapping[str, Any]) -> str:
        self.signed.append(dict(claims))
        return f"token-{len(self.signed)}"


class Commits:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
