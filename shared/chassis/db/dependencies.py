"""FastAPI dependencies: a unit of work per request, for synchronous (`def`) routes.

FastAPI runs `def` routes and this generator dependency in its threadpool, so the blocking
session never holds up the event loop.

>>> @router.post("/v1/tasks")
... def create_task(body: TaskCreate, uow: UnitOfWorkDep) -> TaskPublic:
...     ...
...     uow.commit()
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from chassis.db.database import Database
from chassis.db.unit_of_work import UnitOfWork


def unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    """A unit of work on the app's Database; rolled back after the route unless committed."""
    database: Database = request.app.state.components.get(Database)
    with database.unit_of_work() as uow:
        yield uow


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work)]
