"""Public signing keys read from JWKS entries, each bound to the algorithms its type allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jwt.algorithms import AllowedPublicKeys, ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

_RSA = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
_EC_BY_CURVE = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
# Private parameters of RSA, EC and OKP keys: a JWKS that carries them is a leak, not a key set.
_PRIVATE_PARAMS = frozenset({"d", "p", "q", "dp", "dq", "qi"})


class UnusableKey(ValueError):
    """A JWKS entry the verifier will not use (the message says why; it never holds key data)."""


@dataclass(frozen=True)
class SigningKey:
    """A public key, its id, and the only algorithms a token signed by it may claim.

    The algorithms follow from the key's type, never from a token: an RSA key verifies RS/PS
    signatures and nothing else, so a token cannot turn the public key into an HMAC secret.
    """

    kid: str
    key: AllowedPublicKeys
    algorithms: frozenset[str]


def parse_jwk(entry: Any) -> SigningKey:
    """Read one JWKS entry, or raise UnusableKey."""
    if not isinstance(entry, dict):
        raise UnusableKey("entry is not an object")
    kid = entry.get("kid")
    if not isinstance(kid, str) or not kid:
        raise UnusableKey("entry has no kid")
    if entry.get("use", "sig") != "sig":
        raise UnusableKey(f"key {kid} is not a signing key")
    if _PRIVATE_PARAMS & entry.keys():
        raise UnusableKey(f"key {kid} carries private key material; refusing it")
    kty = entry.get("kty")
    # "oct" above all is refused: a symmetric secret has no place in a public key set.
    if kty not in ("RSA", "OKP", "EC"):
        raise UnusableKey(f"key {kid} has unsupported type {kty!r}")
    try:
        key, algorithms = _key_of(kty, entry)
    except (InvalidKeyError, ValueError, TypeError, KeyError) as exc:
        raise UnusableKey(f"key {kid} is malformed ({type(exc).__name__})") from None
    declared = entry.get("alg")
    if declared is not None:
        if declared not in algorithms:
            raise UnusableKey(f"key {kid} declares alg {declared!r}, which its type cannot do")
        algorithms = frozenset({declared})
    if not algorithms:
        raise UnusableKey(f"key {kid} has an unsupported curve")
    return SigningKey(kid=kid, key=key, algorithms=algorithms)


def _key_of(kty: str, entry: dict[str, Any]) -> tuple[Any, frozenset[str]]:
    """The public key of a JWK of type `kty`, and the algorithms it can verify."""
    if kty == "RSA":
        return RSAAlgorithm.from_jwk(entry), _RSA
    if kty == "OKP":
        return OKPAlgorithm.from_jwk(entry), frozenset({"EdDSA"})
    curve = _EC_BY_CURVE.get(entry.get("crv", ""), "")
    return ECAlgorithm.from_jwk(entry), frozenset({curve}) - {""}
