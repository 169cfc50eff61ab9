"""The service's tables (SQLModel): what is stored, mapped to and from the domain's objects."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import UtcDateTime
from users.service.model import RefreshToken, Role, User


class UserRow(SQLModel, table=True):
    __tablename__ = "users"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    username: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    email: str = Field(sa_column=sa.Column(sa.String(254), nullable=False, unique=True))
    password_hash: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    role: str = Field(sa_column=sa.Column(sa.String(16), nullable=False, index=True))
    active: bool = Field(sa_column=sa.Column(sa.Boolean, nullable=False, index=True))
    created_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))

    def to_domain(self) -> User:
        role: Role = self.role  # type: ignore[assignment]  # the column only holds Role values
        return User(
            id=self.id,
            username=self.username,
            email=self.email,
            password_hash=self.password_hash,
            role=role,
            active=self.active,
            created_at=self.created_at,
        )

    def update_from(self, user: User) -> None:
        self.username, self.email = user.username, user.email
        self.password_hash, self.role, self.active = user.password_hash, user.role, user.active


class RefreshTokenRow(SQLModel, table=True):
    __tablename__ = "refresh_tokens"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    family_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False, index=True))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False, index=True))
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    expires_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    used: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))
    revoked: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))

    def to_domain(self) -> RefreshToken:
        return RefreshToken(
            id=self.id,
            family_id=self.family_id,
            user_id=self.user_id,
            token_hash=self.token_hash,
            expires_at=self.expires_at,
            used=self.used,
            revoked=self.revoked,
        )


class LoginFailureRow(SQLModel, table=True):
    """Failed logins of one client (address) on one account; rows quiet for long are dropped."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_client", "client", "last_failed_at"),
        sa.Index("ix_login_failures_last_failed_at", "last_failed_at"),
    )

    account: str = Field(sa_column=sa.Column(sa.String(160), primary_key=True))
    client: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    failures: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    last_failed_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
