"""Issuing tokens: short-lived signed access tokens, and opaque refresh tokens rotated on use."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from chassis.db import EventLog
from contracts.auth import AccessRevoked
from users.service.errors import InvalidRefreshToken
from users.service.model import RefreshToken, User
from users.service.ports import RefreshTokenRepository, Signer, UserRepository


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str
    access_ttl: float
    refresh_ttl: float


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str | None = None  # none for service accounts (client credentials)


def hash_refresh_token(raw: str) -> str:
    # 256 random bits: a fast hash is enough, nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def access_claims(
    subject: str,
    *,
    role: str,
    username: str,
    policy: TokenPolicy,
    now: datetime,
    session_id: int | None = None,
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": policy.issuer,
        "aud": policy.audience,
        "sub": subject,
        "role": role,
        "username": username,
        # To the microsecond: a revocation refuses tokens issued until its moment, and a token
        # issued in the same second after it must still count.
        "iat": now.timestamp(),
        "nbf": now,
        "exp": now + timedelta(seconds=policy.access_ttl),
        "jti": secrets.token_hex(8),
    }
    if session_id is not None:
        claims["sid"] = str(session_id)  # the refresh-token family: a logout ends its tokens
    return claims


def issue_for_user(
    user: User,
    *,
    signer: Signer,
    refresh_tokens: RefreshTokenRepository,
    policy: TokenPolicy,
    ids: Callable[[], int],
    family_id: int | None = None,
) -> TokenPair:
    """An access token and a new refresh token (a new family unless `family_id` continues one)."""
    now = datetime.now(UTC)
    raw = secrets.token_urlsafe(32)
    token_id = ids()
    claims = access_claims(
        str(user.id),
        role=user.role,
        username=user.username,
        policy=policy,
        now=now,
        session_id=family_id or token_id,
    )
    refresh_tokens.add(
        RefreshToken(
            id=token_id,
            family_id=family_id or token_id,
            user_id=user.id,
            token_hash=hash_refresh_token(raw),
            expires_at=now + timedelta(seconds=policy.refresh_ttl),
        )
    )
    return TokenPair(signer.sign(claims), int(policy.access_ttl), raw)


def issue_for_service(client_id: str, *, signer: Signer, policy: TokenPolicy) -> TokenPair:
    claims = access_claims(
        client_id, role="service", username=client_id, policy=policy, now=datetime.now(UTC)
    )
    return TokenPair(signer.sign(claims), int(policy.access_ttl))


def refresh(
    raw: str,
    *,
    users: UserRepository,
    refresh_tokens: RefreshTokenRepository,
    signer: Signer,
    policy: TokenPolicy,
    ids: Callable[[], int],
    events: EventLog,
    commit: Callable[[], None],
) -> TokenPair:
    """Trade a refresh token for a new pair. A token used twice revokes its whole family."""
    token = refresh_tokens.by_hash(hash_refresh_token(raw))
    if token is None:
        raise InvalidRefreshToken()
    if token.used or token.revoked:
        # Either the client or a thief holds a newer token: neither can be trusted any more,
        # nor the access tokens of that session.
        refresh_tokens.revoke_family(token.family_id)
        events.record(_session_ended(token, "session_revoked"))
        commit()
        raise InvalidRefreshToken("refresh token was already used; its session is revoked")
    if token.expires_at <= datetime.now(UTC):
        raise InvalidRefreshToken("refresh token has expired")
    user = users.get(token.user_id)
    if user is None or not user.active:
        refresh_tokens.revoke_family(token.family_id)
        commit()
        raise InvalidRefreshToken("the account is not active")
    refresh_tokens.mark_used(token)
    pair = issue_for_user(
        user,
        signer=signer,
        refresh_tokens=refresh_tokens,
        policy=policy,
        ids=ids,
        family_id=token.family_id,
    )
    commit()
    return pair


def logout(
    raw: str,
    *,
    refresh_tokens: RefreshTokenRepository,
    events: EventLog,
    commit: Callable[[], None],
) -> None:
    """End the session (family) of `raw`, its access tokens too on every service; unknown
    tokens are ignored (logout is idempotent)."""
    token = refresh_tokens.by_hash(hash_refresh_token(raw))
    if token is not None:
        refresh_tokens.revoke_family(token.family_id)
        events.record(_session_ended(token, "logged_out"))
        commit()


def _session_ended(
    token: RefreshToken, reason: Literal["logged_out", "session_revoked"]
) -> AccessRevoked:
    return AccessRevoked(
        user_id=token.user_id,
        reason=reason,
        revoked_at=datetime.now(UTC),
        session_id=token.family_id,
    )
