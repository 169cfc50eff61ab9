"""The users service as the assignee directory: the chassis client (timeouts, retries, breaker,
the caller's token forwarded) plus a short TTL cache, so one assignee costs one call."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from chassis.auth import caller_token
from chassis.http import (
    DownstreamClient,
    DownstreamError,
    DownstreamSettings,
    DownstreamUnavailable,
)
from tasks.service.errors import AssigneeCheckUnavailable
from tasks.service.ports import Assignee

# Users answers 404 for an id it does not know, 422 (or 400) for one that cannot be a user's.
_NO_SUCH_USER = frozenset({400, 404, 422})


class AssigneeCache:
    """Answers about users for `ttl` seconds, the `size` most recent at most."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[int, tuple[float, Assignee | None]] = OrderedDict()

    def get(self, user_id: int) -> tuple[bool, Assignee | None]:
        """(known, answer): known is False when absent or expired."""
        item = self._items.get(user_id)
        if item is None or item[0] < time.monotonic():
            return False, None
        return True, item[1]

    def put(self, user_id: int, assignee: Assignee | None) -> None:
        if self.ttl <= 0:
            return
        self._items[user_id] = (time.monotonic() + self.ttl, assignee)
        self._items.move_to_end(user_id)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class UsersClient(DownstreamClient):
    """GET /v1/users/{id} on users, as the caller (their token is forwarded)."""

    def __init__(
        self, settings: DownstreamSettings, *, cache_ttl: float = 30.0, cache_size: int = 10_000
    ) -> None:
        super().__init__("users-api", settings, token_provider=caller_token)
        self.cache = AssigneeCache(cache_ttl, cache_size)

    def check_available(self) -> None:
        if self.breaker.state == "open":
            retry_after = self.breaker.retry_after()
            detail = (
                f"users is unavailable (circuit breaker open; last: {self.breaker.last_failure})"
            )
            raise AssigneeCheckUnavailable(detail, max(1, retry_after))

    async def find(self, user_id: int) -> Assignee | None:
        known, cached = self.cache.get(user_id)
        if known:
            return cached
        try:
            response = await self.get("/v1/users/{id}", id=user_id)
        except DownstreamUnavailable as exc:
            raise AssigneeCheckUnavailable(
                f"cannot check the assignee with users now: {exc}", exc.retry_after or 1
            ) from exc
        except DownstreamError as exc:
            if exc.status not in _NO_SUCH_USER:
                raise
            found = None
        else:
            found = _assignee(user_id, response.json())
        self.cache.put(user_id, found)
        return found


def _assignee(user_id: int, body: Any) -> Assignee:
    """Read users' answer; `active` may come as `active`, `is_active` or a `status` text."""
    data = body if isinstance(body, dict) else {}
    if "active" in data:
        active = bool(data["active"])
    elif "is_active" in data:
        active = bool(data["is_active"])
    else:
        active = data.get("status", "active") == "active"
    return Assignee(
        id=user_id,
        role=str(data.get("role", "")),
        active=active,
        username=data.get("username"),
    )
