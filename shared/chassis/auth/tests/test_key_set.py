"""Which published keys the key set trusts."""

from __future__ import annotations

from typing import Any

import pytest

from chassis.auth._jwk import UnusableKey, parse_jwk
from chassis.testing.tokens import TokenIssuer


@pytest.fixture(scope="module")
def published() -> dict[str, dict[str, Any]]:
    keys = TokenIssuer().jwks()["keys"]
    return {key["kty"]: key for key in keys}


def test_binds_an_rsa_key_to_its_declared_algorithm(
    published: dict[str, dict[str, Any]],
) -> None:
    assert parse_jwk(published["RSA"]).algorithms == {"RS256"}


def test_binds_an_rsa_key_without_alg_to_rsa_algorithms_only(
    published: dict[str, dict[str, Any]],
) -> None:
    entry = {k: v for k, v in published["RSA"].items() if k != "alg"}
    assert not {"HS256", "EdDSA", "none"} & parse_jwk(entry).algorithms


def test_refuses_a_symmetric_key() -> None:
    with pytest.raises(UnusableKey, match="unsupported type 'oct'"):
        parse_jwk({"kty": "oct", "kid": "s", "k": "c2VjcmV0"})


def test_refuses_published_private_key_material(published: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(UnusableKey, match="private key material"):
        parse_jwk(published["OKP"] | {"d": "AAAA"})


def test_refuses_an_alg_its_key_type_cannot_do(published: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(UnusableKey, match="declares alg 'HS256'"):
        parse_jwk(published["RSA"] | {"alg": "HS256"})


def test_refuses_an_encryption_key(published: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(UnusableKey, match="not a signing key"):
        parse_jwk(published["OKP"] | {"use": "enc"})
