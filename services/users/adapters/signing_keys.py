"""The Ed25519 keys access tokens are signed with: loaded from a secret, or kept in a folder.

Where the current key comes from, first match wins:
1. `tokens.signing_key` (PEM, from .secrets.toml or USERS__TOKENS__SIGNING_KEY), with
   `tokens.previous_signing_key` still published during a rotation;
2. `tokens.signing_key_file` (a mounted secret);
3. `keys_dir/current.pem` (and `previous.pem`), generated there at first start when
   `tokens.generate_keys` is on (dev; the folder is gitignored, keys are never committed).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from jwt.algorithms import OKPAlgorithm

from chassis.lifecycle import Component, Health, StartupRefused
from chassis.logging import tagged_logger
from users.settings import TokenSettings

_log = tagged_logger("KEYS")
ALGORITHM = "EdDSA"


class NoSigningKey(StartupRefused):
    """No usable signing key is configured: users refuses to start (it could sign nothing)."""


@dataclass(frozen=True)
class KeyPair:
    kid: str
    private: ed25519.Ed25519PrivateKey

    @classmethod
    def from_pem(cls, pem: bytes) -> KeyPair:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise NoSigningKey("the signing key must be an Ed25519 private key (PEM, PKCS#8)")
        return cls(_thumbprint(key.public_key()), key)

    def pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


class SigningKeys(Component):
    """The current key (signs) and the previous one (published until its tokens expire)."""

    name = "signing-keys"

    def __init__(self, settings: TokenSettings) -> None:
        self.settings = settings
        self._current: KeyPair | None = None
        self._previous: KeyPair | None = None

    async def start(self) -> None:
        current, self._previous = await anyio.to_thread.run_sync(load_keys, self.settings)
        self._current = current
        _log.info("signing with key %s", current.kid)

    def health(self) -> Health:
        if self._current is None:
            return Health.down("no signing key loaded")
        return Health.up(kid=self._current.kid)

    @property
    def current(self) -> KeyPair:
        if self._current is None:
            raise NoSigningKey("signing keys are not loaded (the component is not started)")
        return self._current

    def published(self) -> list[KeyPair]:
        return [k for k in (self._current, self._previous) if k is not None]

    def sign(self, claims: Mapping[str, Any]) -> str:
        key = self.current
        return jwt.encode(dict(claims), key.private, algorithm=ALGORITHM, headers={"kid": key.kid})

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.published()]}


def load_keys(settings: TokenSettings) -> tuple[KeyPair, KeyPair | None]:
    """The current and previous key from the first configured source (see the module doc)."""
    if settings.signing_key is not None:
        previous_pem = settings.previous_signing_key
        return (
            KeyPair.from_pem(settings.signing_key.get_secret_value().encode()),
            KeyPair.from_pem(previous_pem.get_secret_value().encode()) if previous_pem else None,
        )
    if settings.signing_key_file is not None:
        return KeyPair.from_pem(settings.signing_key_file.read_bytes()), None
    current, previous = settings.keys_dir / "current.pem", settings.keys_dir / "previous.pem"
    if not current.exists():
        if not settings.generate_keys:
            raise NoSigningKey(
                f"no signing key: set tokens.signing_key or tokens.signing_key_file, or put "
                f"one at {current} (generate_keys is off)"
            )
        _write_key(current, KeyPair.from_pem(_generate_pem()))
        _log.info("generated a signing key in %s (dev; never commit it)", settings.keys_dir)
    return (
        KeyPair.from_pem(current.read_bytes()),
        KeyPair.from_pem(previous.read_bytes()) if previous.exists() else None,
    )


def rotate_keys(keys_dir: Path) -> str:
    """Make a new current key in `keys_dir`; the old one becomes previous. Returns the new kid.

    Running replicas pick it up on restart; the previous key stays published, so tokens it
    signed verify until they expire.
    """
    current = keys_dir / "current.pem"
    if current.exists():
        _write_key(keys_dir / "previous.pem", KeyPair.from_pem(current.read_bytes()))
    fresh = KeyPair.from_pem(_generate_pem())
    _write_key(current, fresh)
    return fresh.kid


def _generate_pem() -> bytes:
    return KeyPair("new", ed25519.Ed25519PrivateKey.generate()).pem()


def _write_key(path: Path, key: KeyPair) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.pem())
    temporary.replace(path)  # atomic: a starting replica never reads half a key


def _thumbprint(public: ed25519.Ed25519PublicKey) -> str:
    # RFC 7638 thumbprint: the same key gets the same kid on every replica, with no registry.
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest())[:16].decode()
