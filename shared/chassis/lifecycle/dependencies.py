"""FastAPI dependencies that hand routes the app's components.

Here, below chassis.auth and chassis.app, so both can hand out components (the public name is
`chassis.app.component`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request

from chassis.lifecycle.component import Component, Components

C = TypeVar("C", bound=Component)


def component(kind: type[C]) -> Callable[[Request], Awaitable[C]]:
    """A dependency returning the app's component of type `kind`.

    >>> Db = Annotated[Database, Depends(component(Database))]
    """

    # async: FastAPI runs a sync dependency in a worker thread, and that hop costs more than the
    # rest of a cached authenticated read (CurrentPrincipal looks up the JwksKeySet with this).
    async def get(request: Request) -> C:
        components: Components = request.app.state.components
        return components.get(kind)

    get.__name__ = f"component_{kind.__name__}"
    return get
