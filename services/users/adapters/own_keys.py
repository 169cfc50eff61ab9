"""Verifying the service's own tokens against its own keys: the chassis verifier, no HTTP.

The chassis `CurrentPrincipal` and `require_roles` ask the app for its `JwksKeySet`. Every
other service's key set fetches users' JWKS over HTTP; users *is* that JWKS, so its key set is a
`JwksKeySet` whose keys come straight from the `SigningKeys` component. Verification (algorithm
allow-list, kid, signature, exp, iss, aud, claims) is then exactly the code every other service
runs, with no request to itself (which could not even be answered while it starts).
"""

from __future__ import annotations

from chassis.auth import AuthSettings, JwksKeySet, SigningKey, parse_jwk
from chassis.lifecycle import Health
from users.adapters.signing_keys import SigningKeys


class OwnKeySet(JwksKeySet):
    name = "own-keys"

    def __init__(self, settings: AuthSettings, keys: SigningKeys) -> None:
        super().__init__(settings)
        self.required = False  # SigningKeys already reports the keys' health
        self._signing_keys = keys
        self._parsed: dict[str, SigningKey] = {}

    async def start(self) -> None:
        self._parsed = {
            key.kid: parse_jwk(key.public_jwk()) for key in self._signing_keys.published()
        }

    async def stop(self) -> None:
        self._parsed = {}

    def health(self) -> Health:
        return Health.up(keys=sorted(self._parsed))

    async def key_for(self, kid: str) -> SigningKey | None:
        return self._parsed.get(kid)
