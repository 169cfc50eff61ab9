"""Annotated dependencies that keep the routes' signatures short.

All async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path

from chassis.app import component
from chassis.auth import CurrentPrincipal
from chassis.db import Database
from tasks.adapters.users_client import UsersClient
from tasks.adapters.work import Transactions
from tasks.service.access import Actor


async def current_actor(principal: CurrentPrincipal) -> Actor:
    return Actor(id=principal.id, role=principal.role)


async def transactions(database: Annotated[Database, Depends(component(Database))]) -> Transactions:
    return Transactions(database)


CurrentActor = Annotated[Actor, Depends(current_actor)]
Tx = Annotated[Transactions, Depends(transactions)]
Users = Annotated[UsersClient, Depends(component(UsersClient))]
TaskId = Annotated[int, Path(ge=0, lt=2**63, description="The task's snowflake id.")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Retries with the same key and body return the first answer (200).",
    ),
]
