"""A start a component refuses ends without a traceback.

The component said why in one line (`Components.start` logs a StartupRefused), but Starlette
hands the server the formatted traceback of whatever ended the lifespan, and uvicorn prints it.
Only the lifespan goes through this: requests never do.
"""

from __future__ import annotations

import sys

from starlette.routing import Router
from starlette.types import Message, Receive, Scope, Send

from chassis.lifecycle import StartupRefused


def refuse_without_traceback(router: Router) -> None:
    """Make `router`'s lifespan report a StartupRefused to the server with no message."""
    lifespan = router.lifespan

    async def refusing_briefly(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_briefly(message: Message) -> None:
            # Starlette sends the failure from its `except` block: the exception is in hand.
            if message["type"] == "lifespan.startup.failed" and isinstance(
                sys.exception(), StartupRefused
            ):
                message = {**message, "message": ""}
            await send(message)

        await lifespan(scope, receive, send_briefly)

    router.lifespan = refusing_briefly  # type: ignore[method-assign]
