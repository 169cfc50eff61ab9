"""A request's fingerprint: equal for a retry, different for another request under the same key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection

# scrypt's interactive-login cost (16 MiB, tens of milliseconds): a secret in a fingerprint costs
# what a password hash costs to guess, though the fingerprint must come out the same every time.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def fingerprint(
    method: str, path: str, body: bytes, *, secrets: Collection[str] = (), salt: bytes = b""
) -> str:
    """SHA-256 of the method, the path and the JSON body with its keys sorted (a retry that
    serializes the same body in another order still matches).

    The top-level body fields named in `secrets` (a password) go in stretched with scrypt,
    salted with `salt` (the caller and the key, unique per stored row): a plain SHA-256 of a
    password kept in the database would be a password hash anyone who reads it could guess.
    """
    try:
        payload = json.loads(body) if body else None
    except ValueError:  # not JSON: the bytes as sent
        payload = body.hex()
    if secrets and isinstance(payload, dict):
        payload = {
            name: _stretched(value, salt) if name in secrets else value
            for name, value in payload.items()
        }
    canonical = json.dumps(
        [method.upper(), path, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stretched(value: object, salt: bytes) -> str:
    return hashlib.scrypt(json.dumps(value).encode(), salt=salt, **_SCRYPT).hex()
