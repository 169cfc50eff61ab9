"""The dependencies routes share, as Annotated aliases: components of the app, and `Tx`, the
units of work bound to users' repositories.

All async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chassis.app import component
from chassis.db import Transactions, transactions
from users.adapters.issuing import Issuing
from users.adapters.passwords import Argon2Hasher
from users.adapters.recent_users import RecentUsers
from users.adapters.signing_keys import SigningKeys
from users.adapters.work import SqlUserWork

Keys = Annotated[SigningKeys, Depends(component(SigningKeys))]
Hasher = Annotated[Argon2Hasher, Depends(component(Argon2Hasher))]
Recent = Annotated[RecentUsers, Depends(component(RecentUsers))]
IssuingDep = Annotated[Issuing, Depends(component(Issuing))]
# `await tx(work)`: the work (argon2 hashing included) runs in one worker thread, never on the
# event loop, and commits there.
Tx = Annotated[Transactions[SqlUserWork], Depends(transactions(SqlUserWork))]


async def _client_address(request: Request) -> str:
    # The chassis put the client behind trusted proxies here (http.trusted_proxies).
    return request.client.host[:64] if request.client else "unknown"


ClientAddress = Annotated[str, Depends(_client_address)]
