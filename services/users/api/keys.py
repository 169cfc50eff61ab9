"""The public signing keys every service verifies access tokens with."""

from __future__ import annotations

from fastapi import APIRouter, Response

from users.api.deps import Keys
from users.api.schemas import JsonWebKeySet

router = APIRouter(tags=["keys"])


@router.get("/.well-known/jwks.json")
async def read_jwks(keys: Keys, response: Response) -> JsonWebKeySet:
    """The current and previous public keys (RFC 7517), so tokens verify across a rotation."""
    # Verifiers cache it anyway and refetch on an unknown kid; a short max-age suits proxies.
    response.headers["Cache-Control"] = "public, max-age=300"
    return JsonWebKeySet.model_validate(keys.jwks())
