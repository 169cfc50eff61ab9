"""FastAPI dependencies: the units of work of a request.

The one shape every service uses: async routes get `Transactions` through an Annotated alias
that each service binds once, in its `api/deps.py`, to the repositories its work needs:

>>> # api/deps.py
>>> Tx = Annotated[Transactions[SqlTaskWork], Depends(transactions(SqlTaskWork))]
>>> # api/tasks.py
>>> @router.patch("/{task_id}")
... async def edit(task_id: TaskId, body: TaskUpdate, tx: Tx) -> TaskPublic:
...     return public(await tx(lambda work: update_task(task_id, body.changes(), work=work)))

`await tx(work)` runs `work(bound)` in one worker thread and commits when it returns (rolls
back when it raises): one thread hop per transaction, the event loop never waits on the
database, and the route itself stays on the loop (a `def` route with a `def` generator
dependency costs three hops: the dependency's enter and exit and the route each take a
worker thread). `await tx.read(work)` runs read-only work outside a transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import sqlalchemy as sa
from fastapi import Request

from chassis.db.database import Database
from chassis.db.unit_of_work import UnitOfWork

W = TypeVar("W")
T = TypeVar("T")


class Transactions(Generic[W]):
    """Units of work on the app's Database, each handed to the work as `bind(uow)`: the
    service's repositories (and `uow.record` for its events) on that one transaction.

    `conflict`: raised instead of the IntegrityError of a unique row that another transaction
    wrote first (a service maps it to 409, or retries the careful way).
    """

    def __init__(
        self,
        database: Database,
        bind: Callable[[UnitOfWork], W],
        *,
        conflict: type[Exception] | None = None,
    ) -> None:
        self.database = database
        self.bind = bind
        self.conflict = conflict

    async def __call__(self, work: Callable[[W], T]) -> T:
        """Run `work` in one committed transaction, in a worker thread."""
        bind = self.bind
        try:
            return await self.database.transaction(lambda uow: work(bind(uow)))
        except sa.exc.IntegrityError as exc:
            if self.conflict is None:
                raise
            raise self.conflict from exc

    async def read(self, work: Callable[[W], T]) -> T:
        """Run the read-only `work` outside a transaction (one round trip per query)."""
        bind = self.bind
        return await self.database.read(lambda uow: work(bind(uow)))


def transactions(
    bind: Callable[[UnitOfWork], W], *, conflict: type[Exception] | None = None
) -> Callable[[Request], Awaitable[Transactions[W]]]:
    """The dependency that gives a route `Transactions` binding `bind` (async: a plain `def`
    dependency would cost a worker-thread hop per request)."""

    async def dependency(request: Request) -> Transactions[W]:
        database: Database = request.app.state.components.get(Database)
        return Transactions(database, bind, conflict=conflict)

    return dependency
