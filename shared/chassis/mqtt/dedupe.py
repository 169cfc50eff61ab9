"""Consumer-side deduplication by event id: the outbox relays at least once, handlers run once.

The in-memory store forgets on restart and past its size; a database-backed store (the inbox
pattern: remember the id in the same transaction as the handler's effect) closes that gap.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol


class DedupeStore(Protocol):
    """Which events a consumer has already handled. `consumer` scopes ids per handler."""

    async def seen(self, consumer: str, event_id: int) -> bool: ...

    async def remember(self, consumer: str, event_id: int) -> None: ...


class MemoryDedupe:
    """The last `size` handled (consumer, event id) pairs, least recently seen dropped first."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: OrderedDict[tuple[str, int], None] = OrderedDict()

    async def seen(self, consumer: str, event_id: int) -> bool:
        key = (consumer, event_id)
        if key in self._ids:
            self._ids.move_to_end(key)
            return True
        return False

    async def remember(self, consumer: str, event_id: int) -> None:
        self._ids[(consumer, event_id)] = None
        self._ids.move_to_end((consumer, event_id))
        while len(self._ids) > self.size:
            self._ids.popitem(last=False)
