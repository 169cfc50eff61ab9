"""Token verification, local to every service, with the users service's published keys.

The users service signs short-lived access tokens (EdDSA or RS256, with a `kid`) and publishes
its public keys at /.well-known/jwks.json. Each service verifies tokens itself: the `JwksKeySet`
component caches those keys and refetches them on an unknown `kid` (rate-limited), so no request
ever waits on users unless a key was just rotated.

>>> class TasksSettings(ServiceSettings):
...     auth: AuthSettings = AuthSettings()
>>> app = create_app(settings, routers=[router], components=[JwksKeySet(settings.auth)])
>>> @router.get("/v1/tasks")
... async def list_tasks(principal: CurrentPrincipal) -> TaskPage: ...
>>> @router.post("/v1/devices", dependencies=[Depends(require_roles("operator", "admin"))])
... async def create_device(...) -> DevicePublic: ...

Swagger's Authorize button logs in at the key set's `auth.token_url` (`create_app` writes it
into the app's OpenAPI document). A missing or refused token answers 401 problem+json with
`WWW-Authenticate: Bearer` and a reason (never the token); a principal without the role answers
403. Calls to other services forward the caller's token: `principal.token`, or `caller_token` as
the HTTP client's token provider.

Users announces revoked access (deactivation, role change, logout) as `access.revoked`; an app
with a `Bus` and a key set follows it by itself (`chassis.auth.revocation`), and the key set
refuses those tokens (401) from then on. A process started later learns them from the snapshot
users keeps retained on the broker (its `RetainedRevocations` component).

A service that holds the keys itself (the users service) verifies without HTTP: a `JwksKeySet`
subclass whose `key_for` returns `parse_jwk(entry)` of its own public keys.
"""

from chassis.auth._jwk import SigningKey, UnusableKey, parse_jwk
from chassis.auth.dependencies import (
    CurrentPrincipal,
    authenticate,
    bearer_scheme,
    require_roles,
    use_token_url,
)
from chassis.auth.keys import JwksKeySet
from chassis.auth.principal import (
    ROLES,
    Principal,
    Role,
    caller_token,
    current_principal,
    current_token,
)
from chassis.auth.revocation import RetainedRevocations, Revocations
from chassis.auth.settings import Algorithm, AuthSettings
from chassis.auth.verify import InvalidToken, verify_token

__all__ = [
    "ROLES",
    "Algorithm",
    "AuthSettings",
    "CurrentPrincipal",
    "InvalidToken",
    "JwksKeySet",
    "Principal",
    "RetainedRevocations",
    "Revocations",
    "Role",
    "SigningKey",
    "UnusableKey",
    "authenticate",
    "bearer_scheme",
    "caller_token",
    "current_principal",
    "current_token",
    "parse_jwk",
    "require_roles",
    "use_token_url",
    "verify_token",
]
