"""A stand-in for the users service's token side: signing keys, minted tokens, a real JWKS server.

Tests of any service verify tokens exactly as in production: `JwksKeySet` fetches this issuer's
key set over HTTP from a local server, and the tokens are real EdDSA or RS256 JWTs. The issuer
also forges the tokens an attacker would send (`alg: none`, HS256 keyed with a public key).

>>> with TokenIssuer() as issuer:
...     app = create_app(settings, components=[JwksKeySet(issuer.auth_settings())], ...)
...     token = issuer.mint("42", role="operator")
...     new_kid = issuer.rotate("EdDSA")   # the old key stays published as the previous one
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any, Literal, Self

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

from chassis.auth import AuthSettings
from chassis.testing.jwks_server import JwksServer

KeyAlgorithm = Literal["EdDSA", "RS256"]


@dataclass(frozen=True)
class _KeyPair:
    kid: str
    alg: KeyAlgorithm
    private: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey

    def jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        if isinstance(public, ed25519.Ed25519PublicKey):
            data = OKPAlgorithm.to_jwk(public, as_dict=True)
        else:
            data = RSAAlgorithm.to_jwk(public, as_dict=True)
        return {**data, "kid": self.kid, "alg": self.alg, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class TokenIssuer:
    """Keys generated in memory (one Ed25519, one RSA), tokens minted with any claims, and the
    public keys served as a JWKS from 127.0.0.1 on a free port while started."""

    def __init__(self, *, issuer: str = "fleet-users", audience: str = "fleet") -> None:
        self.issuer = issuer
        self.audience = audience
        self._serial = itertools.count(1)
        self._current: dict[KeyAlgorithm, _KeyPair] = {}
        self._published: list[_KeyPair] = []
        self._generated: dict[str, _KeyPair] = {}  # retired keys still sign, for tests
        for alg in ("EdDSA", "RS256"):
            self.rotate(alg)
        self.server = JwksServer(self.jwks)

    def __enter__(self) -> Self:
        self.server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.stop()

    @property
    def jwks_url(self) -> str:
        return self.server.url

    @property
    def jwks_requests(self) -> int:
        """How many times the key set was fetched so far."""
        return self.server.requests

    def auth_settings(self, **overrides: Any) -> AuthSettings:
        """AuthSettings trusting this issuer, with any field overridden."""
        fields = {"jwks_url": self.jwks_url, "issuer": self.issuer, "audience": self.audience}
        return AuthSettings(**(fields | overrides))

    def jwks(self) -> dict[str, Any]:
        """The published key set: the current and previous key of each algorithm."""
        return {"keys": [pair.jwk() for pair in self._published]}

    def kid(self, alg: KeyAlgorithm = "EdDSA") -> str:
        """The id of the key currently signing with `alg`."""
        return self._current[alg].kid

    def rotate(self, alg: KeyAlgorithm = "EdDSA") -> str:
        """Sign with a new key from now on; the replaced one stays published. Returns its kid."""
        private: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey = (
            ed25519.Ed25519PrivateKey.generate()
            if alg == "EdDSA"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        pair = _KeyPair(f"{alg.lower()}-{next(self._serial)}", alg, private)
        previous = self._current.get(alg)
        # Publish only the current and previous key of each algorithm, as users does.
        self._published = [p for p in self._published if p.alg != alg or p is previous]
        self._published.append(pair)
        self._current[alg] = pair
        self._generated[pair.kid] = pair
        return pair.kid

    def retire(self, kid: str) -> None:
        """Stop publishing key `kid` (tokens it signed must then be refused)."""
        self._published = [p for p in self._published if p.kid != kid]

    def claims(self, subject: str = "1", role: str = "technician", **extra: Any) -> dict[str, Any]:
        """The claims users puts in an access token; `extra` adds or replaces (None removes)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "role": role,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + 900,
        }
        claims.update(extra)
        return {k: v for k, v in claims.items() if v is not None}

    def mint(
        self,
        subject: str = "1",
        role: str = "technician",
        *,
        alg: KeyAlgorithm = "EdDSA",
        kid: str | None = None,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A signed access token. `kid` picks the signing key (default: the current one of `alg`)
        and is what the header names; `headers` adds, replaces or (None) removes header fields."""
        pair = self._key(kid) if kid else self._current[alg]
        header = {"kid": pair.kid} | (headers or {})
        header = {k: v for k, v in header.items() if v is not None}
        return jwt.encode(
            self.claims(subject, role, **claims), pair.private, algorithm=pair.alg, headers=header
        )

    def forge_unsigned(self, subject: str = "1", role: str = "admin", **claims: Any) -> str:
        """An `alg: none` token with no signature, naming a real kid."""
        header = {"alg": "none", "typ": "JWT", "kid": self.kid()}
        return _compact(header, self.claims(subject, role, **claims), b"")

    def forge_hs256(
        self, subject: str = "1", role: str = "admin", *, kid: str | None = None, **claims: Any
    ) -> str:
        """An HS256 token whose HMAC secret is a published public key (PEM): key confusion."""
        pair = self._key(kid) if kid else self._current["RS256"]
        header = {"alg": "HS256", "typ": "JWT", "kid": pair.kid}
        body = self.claims(subject, role, **claims)
        signing_input = f"{_b64(json.dumps(header))}.{_b64(json.dumps(body))}".encode()
        signature = hmac.new(pair.public_pem(), signing_input, hashlib.sha256).digest()
        return _compact(header, body, signature)

    def _key(self, kid: str) -> _KeyPair:
        if kid not in self._generated:
            raise KeyError(f"no key {kid!r}; keys: {sorted(self._generated)}")
        return self._generated[kid]


def _b64(data: str | bytes) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _compact(header: dict[str, Any], claims: dict[str, Any], signature: bytes) -> str:
    return f"{_b64(json.dumps(header))}.{_b64(json.dumps(claims))}.{_b64(signature)}"
