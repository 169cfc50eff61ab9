"""Calls between services: one client per downstream, with timeouts, retries, a circuit breaker
and a deadline, forwarding the correlation id and a bearer token.

>>> class TasksSettings(ServiceSettings):
...     users: DownstreamSettings                      # [users] base_url = "http://users:8001"
>>> users = DownstreamClient("users-api", settings.users)
>>> app = create_app(settings, components=[users])     # started and stopped with the app
>>> response = await users.get("/v1/users/{id}", id=user_id, token=caller_token)
>>> response.json()

A service with several downstreams gives each client a class of its own
(`class UsersClient(DownstreamClient): ...`), so routes find it by type:
`Users = Annotated[UsersClient, Depends(component(UsersClient))]`.

A service calling with its own account gives the client a `ServiceAccountToken` (users'
client-credentials grant, cached until shortly before expiry, one fetch for parallel callers,
fetched anew once when a call answers 401):

>>> users = DownstreamClient("users-api", settings.users)
>>> token = ServiceAccountToken.client_credentials(users.post, "/v1/auth/token", "devices", secret)
>>> tasks = DownstreamClient("tasks-api", settings.tasks, token_provider=token)

- Retried (exponential backoff with jitter, Retry-After honoured up to a cap, never past the
  deadline): GET, HEAD, PUT, DELETE, OPTIONS, and any request with an Idempotency-Key
  (`users.post(..., idempotency_key=key)`); on connect errors, timeouts, 502/503/504 and 429.
- 4xx answers raise DownstreamError at once (`.status`, `.response`); they never trip the breaker.
- After `breaker_fail_max` consecutive failed attempts the breaker opens: calls raise
  DownstreamUnavailable at once (`.retry_after` seconds), /health/ready answers 503 if the client
  is required, and create_app answers the route's caller 503 problem+json with Retry-After.
"""

from chassis.http.client import DownstreamClient, TokenProvider
from chassis.http.errors import DownstreamError, DownstreamUnavailable
from chassis.http.retry import IDEMPOTENCY_KEY, IDEMPOTENT_METHODS
from chassis.http.settings import DownstreamSettings
from chassis.http.tokens import FormPost, ServiceAccountToken

__all__ = [
    "IDEMPOTENCY_KEY",
    "IDEMPOTENT_METHODS",
    "DownstreamClient",
    "DownstreamError",
    "DownstreamSettings",
    "DownstreamUnavailable",
    "FormPost",
    "ServiceAccountToken",
    "TokenProvider",
]
