"""`create_app`: a FastAPI app with everything a Fleet service shares, from a few arguments.

>>> app = create_app(
...     settings,
...     routers=[tasks_router],
...     components=[Database(settings.database, migrations="tasks.migrations"),
...                 users_client(settings.users), JwksKeySet(settings.auth)],
... )

Every app gets: X-Request-ID correlation, one access-log line per request, Prometheus metrics,
problem+json errors (each `DomainError` with its own status; declared in the OpenAPI:
`problems(404)` declares a route's own, `links(...)` the OpenAPI links from its answer),
/health/live, /health/ready, /metrics, /docs and /redoc (with no CDN: see `chassis.app.docs`;
Authorize logs in at the key set's `auth.token_url`), stable OpenAPI operation ids, and its
components started in order and stopped in reverse around serving. `service_cli`'s `migrate`
upgrades the app's `Database`.
"""

from chassis.app.contract import links, problems
from chassis.app.factory import create_app
from chassis.app.text import Text
from chassis.lifecycle.dependencies import component

__all__ = ["Text", "component", "create_app", "links", "problems"]
