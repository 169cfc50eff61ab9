"""Runs inside a service's pex (`PEX_INTERPRETER=1`): the service's command on the checkout's
sources, under debugpy when asked. `fleet up --reload` and `--debug` start services so (see
fleet/tree.py):

    PEX_INTERPRETER=1 dist/services.tasks/pex.pex tools/fleet/tree_entry.py \\
        /repo/services:/repo/shared tasks.main:cli "" serve

Standard library only: it runs in the service's interpreter, where the fleet tool is not.
"""

from __future__ import annotations

import importlib
import os
import sys

DEBUG_HOST = "127.0.0.1"  # debugpy runs any code a client sends: never beyond this machine
# A spare started ahead of a restart (`fleet up --reload`) imports these, then waits for a line
# on its stdin before it imports the checkout's code: most of a service's start is spent here,
# none of it on code a save can change. Not every pex has each one.
SPARE = "FLEET_SPARE"
PRELOADED = (
    "fastapi",
    "starlette.applications",
    "pydantic",
    "pydantic_settings",
    "sqlalchemy.orm",
    "sqlmodel",
    "alembic.command",
    "psycopg",
    "httpx",
    "uvicorn.main",
    "paho.mqtt.client",
    "prometheus_client",
    "jwt",
    "argon2",
    "anyio",
    "tenacity",
    "pybreaker",
    "orjson",
    "typer",
)


def main(argv: list[str]) -> None:
    """argv: the source roots (os.pathsep-separated), the pex's entry point (`tasks.main:cli`),
    the debugger (`<folder holding debugpy>,<port>,wait|go`, or empty), the command."""
    roots, entry_point, debugger, *command = argv
    # First, ahead of the pex's copy of the same packages; the interpreter's "" (the working
    # folder, the top of the checkout) goes: nothing a service imports lives there.
    sys.path[:] = [*roots.split(os.pathsep), *(p for p in sys.path if p)]
    if os.environ.pop(SPARE, None):
        _wait_as_spare()
    if debugger:
        _listen(debugger)
    module, _, function = entry_point.partition(":")
    sys.argv = [module.partition(".")[0], *command]
    run = getattr(importlib.import_module(module), function)
    sys.exit(run())


def _wait_as_spare() -> None:
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    if not sys.stdin.readline():  # the runner went away, or no longer needs this spare
        sys.exit(0)


def _listen(debugger: str) -> None:
    folder, port, wait = debugger.split(",")
    sys.path.append(folder)  # debugpy alone: the folder holds nothing else
    import debugpy

    host, bound = debugpy.listen((DEBUG_HOST, int(port)))
    print(f"debugpy listening on {host}:{bound}", flush=True)
    if wait == "wait":
        print("waiting for a debugger to attach before starting ...", flush=True)
        debugpy.wait_for_client()
        print("debugger attached", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
