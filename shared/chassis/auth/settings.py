"""How a service verifies the access tokens the users service issues."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

# Only asymmetric algorithms: a verifier holds public keys, and an HMAC "secret" it could be
# tricked into using would be public too (the key-confusion attack).
Algorithm = Literal[
    "EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"
]


def _default_algorithms() -> list[Algorithm]:
    return ["EdDSA", "RS256"]  # what the users service signs with


class AuthSettings(BaseModel):
    """The `auth` section of a service's settings (`TASKS__AUTH__JWKS_URL=...`)."""

    jwks_url: str = Field(
        "http://127.0.0.1:8001/.well-known/jwks.json",
        description="Where the users service publishes its public signing keys (JWKS).",
    )
    issuer: str = Field(
        "fleet-users", description="The `iss` every accepted token must carry (the users service)."
    )
    audience: str = Field("fleet", description="The `aud` every accepted token must include.")
    algorithms: list[Algorithm] = Field(
        default_factory=_default_algorithms,
        min_length=1,
        description="Signature algorithms accepted; asymmetric only (no HS*, never `none`).",
    )
    leeway: float = Field(
        30.0, ge=0, le=300, description="Seconds of clock skew tolerated on exp, nbf and iat."
    )
    jwks_cache_ttl: float = Field(
        300.0, gt=0, description="Seconds between background refreshes of the key set."
    )
    min_refetch_interval: float = Field(
        10.0,
        ge=0,
        description="Least seconds between two fetches of the key set, so a flood of tokens with "
        "unknown key ids cannot hammer the users service.",
    )
    fetch_timeout: float = Field(
        2.0, gt=0, le=30, description="Seconds a key set fetch may take (connect and read)."
    )
    token_url: str = Field(
        "http://127.0.0.1:8001/v1/auth/token",
        description="The users service's token endpoint, shown by Swagger's Authorize button.",
    )
    required: bool = Field(
        False,
        description="Whether /health/ready fails while no keys are loaded. Off by default: with "
        "keys cached a service keeps verifying tokens while users is down.",
    )

    @field_validator("algorithms")
    @classmethod
    def _distinct(cls, value: list[Algorithm]) -> list[Algorithm]:
        return list(dict.fromkeys(value))
