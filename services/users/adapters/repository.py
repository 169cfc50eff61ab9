"""Accounts and refresh tokens in the service's database; the only place their SQL lives."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from chassis.db import Repository
from users.adapters.tables import RefreshTokenRow, UserRow
from users.service.errors import AccountExists, InvalidRefreshToken
from users.service.model import RefreshToken, User
from users.service.ports import UserFilter, UserPage


class SqlUserRepository(Repository[UserRow]):
    model = UserRow

    def get(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return row.to_domain() if row is not None else None

    def by_username(self, username: str) -> User | None:
        return self._one(select(UserRow).where(UserRow.username == username))

    def username_taken(self, username: str) -> bool:
        return self._any(col(UserRow.username) == username)

    def email_taken(self, email: str) -> bool:
        return self._any(col(UserRow.email) == email)

    def add(self, user: User) -> None:
        row = UserRow(
            id=user.id,
            username=user.username,
            email=user.email,
            password_hash=user.password_hash,
            role=user.role,
            active=user.active,
            created_at=user.created_at,
        )
        self.session.add(row)
        try:
            # A concurrent registration may have taken the name since `exists` looked.
            with self.session.begin_nested():
                self.session.flush()
        except sa.exc.IntegrityError:
            raise AccountExists("username or email is already registered") from None

    def save(self, user: User) -> None:
        row = self.session.get(UserRow, user.id)
        if row is None:
            raise LookupError(f"user {user.id} is not stored")
        row.update_from(user)
        self.session.add(row)

    def page(self, where: UserFilter, *, limit: int, cursor: str | None) -> UserPage:
        statement = select(UserRow)
        if where.role is not None:
            statement = statement.where(UserRow.role == where.role)
        if where.active is not None:
            statement = statement.where(UserRow.active == where.active)
        found = self.page_of(statement, limit=limit, cursor=cursor)
        return UserPage([row.to_domain() for row in found.items], found.next_cursor)

    def _any(self, condition: sa.ColumnElement[bool]) -> bool:
        found = select(UserRow.id).where(condition).limit(1)
        return self.session.execute(found).first() is not None

    def _one(self, statement: SelectOfScalar[UserRow]) -> User | None:
        row = self.session.scalars(statement).first()
        return row.to_domain() if row is not None else None


class SqlRefreshTokenRepository(Repository[RefreshTokenRow]):
    model = RefreshTokenRow

    def by_hash(self, token_hash: str) -> RefreshToken | None:
        statement = select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash)
        row = self.session.scalars(statement).first()
        return row.to_domain() if row is not None else None

    def add(self, token: RefreshToken) -> None:
        self.session.add(
            RefreshTokenRow(
                id=token.id,
                family_id=token.family_id,
                user_id=token.user_id,
                token_hash=token.token_hash,
                expires_at=token.expires_at,
            )
        )

    def mark_used(self, token: RefreshToken) -> None:
        # Only if still unused: of two concurrent refreshes with one token, one wins.
        touched = self.execute(
            sa.update(RefreshTokenRow)
            .where(col(RefreshTokenRow.id) == token.id, col(RefreshTokenRow.used).is_(False))
            .values(used=True)
        )
        if touched != 1:
            raise InvalidRefreshToken("refresh token was already used")
        token.used = True

    def revoke_family(self, family_id: int) -> None:
        self.execute(
            sa.update(RefreshTokenRow)
            .where(col(RefreshTokenRow.family_id) == family_id)
            .values(revoked=True)
        )

    def revoke_user(self, user_id: int) -> None:
        self.execute(
            sa.update(RefreshTokenRow)
            .where(col(RefreshTokenRow.user_id) == user_id)
            .values(revoked=True)
        )
