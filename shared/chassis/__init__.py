"""Fleet's chassis: the one package every service is built from.

Cross-cutting concerns live here once (configuration, logging, errors, health, metrics, lifecycle,
HTTP between services, the MQTT bus, the database, auth, the outbox, test fixtures), so a service
holds only its domain code, its routers and its settings.
"""

import sys

# httpx imports its command-line client (rich and pygments: 4 MB in every process) unless that
# import fails, when its `main` asks for `httpx[cli]` instead. No Fleet process runs httpx's
# command line; typer still loads rich when it prints a command's help.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# FastAPI imports pydantic.v1 (1.5 MB) to ask whether each route's models are pydantic v1 ones,
# which it no longer supports, and answers "no" when that import fails, as it must where pydantic
# ships without v1. No Fleet process uses pydantic.v1.
sys.modules.setdefault("pydantic.v1", None)  # type: ignore[arg-type]
