"""Token verification: every check a token must pass, each failure with a reason safe to show.

The order matters: the header is checked against the allow-list and the key's type before any
signature work, so `alg: none` and HS256-with-the-public-key tokens never reach a verifier.
"""

from __future__ import annotations

import re
from typing import Protocol

import jwt
from pydantic import ValidationError

from chassis.auth._jwk import SigningKey
from chassis.auth.principal import Principal
from chassis.auth.settings import AuthSettings

_ALG_NAME = re.compile(r"^[A-Za-z0-9]{1,16}$")
_REQUIRED_CLAIMS = ["exp", "sub", "iss", "aud", "role"]


class InvalidToken(Exception):
    """A token was refused. `reason` names what is wrong; it never contains the token."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeySource(Protocol):
    async def key_for(self, kid: str) -> SigningKey | None: ...


async def verify_token(token: str, *, keys: KeySource, settings: AuthSettings) -> Principal:
    """The principal a valid access token names, or InvalidToken.

    Checks: the algorithm is allowed and fits the key's type; the `kid` names a published key;
    the signature; exp, nbf and iat (with leeway); issuer; audience; the subject and role claims.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise InvalidToken("token is malformed") from None
    alg = header.get("alg")
    if alg not in settings.algorithms:
        raise InvalidToken(f"signature algorithm {_safe_alg(alg)} is not accepted")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("token names no signing key (kid)")
    key = await keys.key_for(kid)
    if key is None:
        raise InvalidToken("token is signed with an unknown key")
    if alg not in key.algorithms:
        raise InvalidToken(f"signature algorithm {alg} does not fit the signing key")
    # Signature checks take tens of microseconds: handing them to a thread would cost more.
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[alg],  # the one algorithm just vetted, so the token cannot choose another
            audience=settings.audience,
            issuer=settings.issuer,
            leeway=settings.leeway,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(_reason(exc)) from None
    try:
        return Principal.from_claims(claims, token)
    except ValidationError as exc:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
        raise InvalidToken(f"token claims are not valid: {fields or 'claims'}") from None


def _reason(exc: jwt.InvalidTokenError) -> str:
    # Order matters: the specific errors subclass the general ones.
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "token has expired"
    if isinstance(exc, jwt.ImmatureSignatureError):
        return "token is not valid yet (nbf or iat in the future)"
    if isinstance(exc, jwt.InvalidAudienceError):
        return "token is not meant for this service (audience)"
    if isinstance(exc, jwt.InvalidIssuerError):
        return "token is not from a trusted issuer"
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"token lacks the {exc.claim} claim"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "token signature does not verify"
    if isinstance(exc, jwt.DecodeError):
        return "token is malformed"
    return "token is not valid"


def _safe_alg(alg: object) -> str:
    # The header is the caller's text: name it only if it looks like an algorithm name.
    return repr(alg) if isinstance(alg, str) and _ALG_NAME.match(alg) else "(unreadable)"
