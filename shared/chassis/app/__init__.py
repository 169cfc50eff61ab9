"""`create_app`: a FastAPI app with everything a Fleet service shares, from a few arguments.

>>> app = create_app(
...     settings,
...     routers=[tasks_router],
...     components=[Database(settings.database), users_client(settings.users)],
...     errors={TaskNotFound: 404, TransitionNotAllowed: 409},
... )

Every app gets: X-Request-ID correlation, one access-log line per request, Prometheus metrics,
problem+json errors (declared in the OpenAPI; `problems(404)` declares a route's own, `links(...)`
the OpenAPI links from its answer), /health/live, /health/ready, /metrics, /docs and /redoc (with
no CDN: see `chassis.app.docs`), stable OpenAPI operation ids, and its components started in order
and stopped in reverse around serving.
"""

from chassis.app.contract import links, problems
from chassis.app.factory import create_app
from chassis.app.text import Text
from chassis.lifecycle.dependencies import component

__all__ = ["Text", "component", "create_app", "links", "problems"]
