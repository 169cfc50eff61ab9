"""Fleet's chassis: the one package every service is built from.

Cross-cutting concerns live here once (configuration, logging, errors, health, metrics, lifecycle,
HTTP between services, the MQTT bus, the database, auth, the outbox, test fixtures), so a service
holds only its domain code, its routers and its settings.
"""

import sys

# Optional parts of libraries that no Fleet process runs, each imported unless its import fails,
# when the library goes on without it (as it does where that part is not installed). Blocked
# here, in every process that imports the chassis: 6 MB of code a service would hold for nothing.
_NEVER_RUN = (
    # httpx's command-line client (rich and pygments, 4 MB): its `main` asks for httpx[cli]
    # instead. typer still loads rich when it prints a command's help.
    "httpx._main",
    # pydantic.v1 (1.5 MB): FastAPI imports it to ask whether each route's models are v1 ones,
    # which it no longer supports, and answers "no" without it. (A type validated only by v1's
    # `__get_validators__` would now fail to build instead of warning.)
    "pydantic.v1",
    # uvicorn's --reload on watchfiles (0.6 MB): it would poll files instead. `fleet up
    # --reload` restarts processes itself, with watchfiles.
    "uvicorn.supervisors.watchfilesreload",
)
for _name in _NEVER_RUN:
    sys.modules.setdefault(_name, None)  # type: ignore[arg-type]
