"""Annotated dependencies that keep the routes' signatures short.

All async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from chassis.app import component
from chassis.auth import CurrentPrincipal
from chassis.db import Transactions, transactions
from tasks.adapters.users_client import UsersClient
from tasks.adapters.work import SqlTaskWork
from tasks.service.access import Actor
from tasks.service.errors import WriteConflict


async def current_actor(principal: CurrentPrincipal) -> Actor:
    return Actor(id=principal.id, role=principal.role)


CurrentActor = Annotated[Actor, Depends(current_actor)]
# A unique row another request wrote first is the service's WriteConflict (a device alarm's task).
Tx = Annotated[
    Transactions[SqlTaskWork], Depends(transactions(SqlTaskWork, conflict=WriteConflict))
]
Users = Annotated[UsersClient, Depends(component(UsersClient))]
TaskId = Annotated[int, Path(ge=0, lt=2**63, description="The task's snowflake id.")]
