"""FastAPI dependencies that hand routes the app's components."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from chassis.lifecycle import Component, Components

C = TypeVar("C", bound=Component)


def component(kind: type[C]) -> Callable[[Request], C]:
    """A dependency returning the app's component of type `kind`.

    >>> Db = Annotated[Database, Depends(component(Database))]
    """

    def get(request: Request) -> C:
        components: Components = request.app.state.components
        return components.get(kind)

    get.__name__ = f"component_{kind.__name__}"
    return get
