"""A short-lived, in-process read-through cache of accounts for the hot authenticated reads.

GET /v1/users/me and /v1/users/{id} (what tasks calls per assignment) would otherwise cost a
worker-thread hop and a database session each. A few seconds of staleness is harmless: access
tokens already stay valid for minutes after a change; this process forgets an account it changes
at once, and other replicas within `ttl`.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from chassis.db import Database
from chassis.lifecycle import Component
from users.adapters.repository import SqlUserRepository
from users.service.model import User


class RecentUsers(Component):
    name = "recent-users"
    required = False

    def __init__(self, database: Database, ttl: float = 5.0, size: int = 10_000) -> None:
        self.database = database
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[int, tuple[float, User]] = OrderedDict()

    async def find(self, user_id: int) -> User | None:
        """The account, from memory if read within `ttl`, else from the database."""
        entry = self._entries.get(user_id)
        if entry is not None and entry[0] >= time.monotonic():
            return entry[1]
        # One worker-thread hop, on a miss only.
        user = await self.database.transaction(
            lambda uow: SqlUserRepository(uow.session).get(user_id)
        )
        if user is not None:
            self._put(user)
        return user

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)

    def _put(self, user: User) -> None:
        self._entries[user.id] = (time.monotonic() + self.ttl, user)
        self._entries.move_to_end(user.id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
