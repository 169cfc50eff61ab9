"""64-bit time-ordered snowflake ids: 41 bits of milliseconds, 10 of worker, 12 of sequence.

Ids sort by creation time (good B-tree locality, cursor pagination by id), need no database
round-trip, and stay unique across replicas because each process makes them under a worker id no
other live process of the service holds: claimed from the service's database at start
(`chassis.db.worker_lease`), or set by hand (`ServiceSettings.worker_id`). In JSON they are
strings (`SnowflakeId`, from the contracts): JavaScript numbers lose precision above 2**53.

>>> ids = SnowflakeGenerator(worker_id=3)
>>> a, b = ids.next_id(), ids.next_id()
>>> a < b
True
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from contracts.ids import SnowflakeId

__all__ = [
    "FLEET_EPOCH",
    "WORKER_IDS",
    "SnowflakeGenerator",
    "SnowflakeId",
    "WorkerIdUnavailable",
    "configure_ids",
    "hold_worker_id",
    "id_time",
    "next_id",
    "release_worker_id",
]

FLEET_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
"""Time zero of the 41-bit timestamp: ids last until 2093."""

_EPOCH_MS = int(FLEET_EPOCH.timestamp() * 1000)
_WORKER_BITS, _SEQUENCE_BITS = 10, 12
_MAX_WORKER = (1 << _WORKER_BITS) - 1
_MAX_SEQUENCE = (1 << _SEQUENCE_BITS) - 1
WORKER_IDS = 1 << _WORKER_BITS
"""How many processes of one service can make ids at once (1024)."""


class SnowflakeGenerator:
    """Thread-safe source of unique, strictly increasing ids for one worker.

    If the wall clock steps back (NTP), ids keep increasing from the last timestamp used rather
    than repeating; if 4096 ids are asked for within one millisecond, the generator borrows the
    next millisecond instead of sleeping, so it never blocks an event loop.
    """

    def __init__(self, worker_id: int = 0) -> None:
        if not 0 <= worker_id <= _MAX_WORKER:
            raise ValueError(f"worker_id must be within 0..{_MAX_WORKER}, not {worker_id}")
        self.worker_id = worker_id
        self._lock = threading.Lock()
        self._last_ms = -1
        self._sequence = 0

    def reassign(self, worker_id: int) -> None:
        """Make the next ids under `worker_id`, still after every id made so far: the next id
        moves on to a new millisecond, so none repeats whichever worker id comes back."""
        if not 0 <= worker_id <= _MAX_WORKER:
            raise ValueError(f"worker_id must be within 0..{_MAX_WORKER}, not {worker_id}")
        with self._lock:
            if worker_id != self.worker_id:
                self.worker_id, self._sequence = worker_id, _MAX_SEQUENCE

    def next_id(self) -> int:
        with self._lock:
            now = time.time_ns() // 1_000_000 - _EPOCH_MS
            if now > self._last_ms:
                self._last_ms, self._sequence = now, 0
            elif self._sequence < _MAX_SEQUENCE:
                self._sequence += 1
            else:
                self._last_ms, self._sequence = self._last_ms + 1, 0
            return (
                (self._last_ms << (_WORKER_BITS + _SEQUENCE_BITS))
                | (self.worker_id << _SEQUENCE_BITS)
                | self._sequence
            )


def id_time(snowflake: int) -> datetime:
    """When an id was made (to the millisecond)."""
    ms = (snowflake >> (_WORKER_BITS + _SEQUENCE_BITS)) + _EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC)


class WorkerIdUnavailable(RuntimeError):
    """No id can be made now: the process lost its worker id and is claiming one again (its
    database connection ended). Apps answer 503 with Retry-After; retrying soon succeeds."""

    retry_after = 1


class _Process:
    """The process's generator and the worker ids it holds; built on first use, never at import.

    `claims` maps each live lease to its worker id (None while it re-claims one), in claim
    order. Normally there is one lease, the app's; a test process that runs several apps at
    once holds one per app, and the latest claim is the one ids are made with.
    """

    generator: SnowflakeGenerator | None = None
    usable: SnowflakeGenerator | None = None  # the generator while ids may be made, else None
    configured = 0  # the worker id when no lease is live (settings, or 0)
    claims: dict[object, int | None] = {}
    lock = threading.Lock()

    @classmethod
    def apply(cls) -> None:
        """Point `usable` at the generator under the worker id in force (lock held)."""
        claimed = list(cls.claims.values())
        worker_id = claimed[-1] if claimed else cls.configured
        if worker_id is None:
            cls.usable = None
            return
        if cls.generator is None:
            cls.generator = SnowflakeGenerator(worker_id)
        cls.generator.reassign(worker_id)
        cls.usable = cls.generator


def configure_ids(worker_id: int) -> None:
    """Make this process's ids under `worker_id` (from `settings.worker_id`, or 0 when the
    process is alone: SQLite). A live lease (`hold_worker_id`) takes precedence."""
    with _Process.lock:
        _Process.configured = worker_id
        _Process.apply()


def hold_worker_id(holder: object, worker_id: int | None) -> None:
    """Record that `holder` (a worker-id lease) holds `worker_id`; None: it lost its id, and no
    id is made (`WorkerIdUnavailable`) until it holds one again."""
    with _Process.lock:
        _Process.claims[holder] = worker_id
        _Process.apply()


def release_worker_id(holder: object) -> None:
    """`holder` gave its worker id back (its app stopped)."""
    with _Process.lock:
        _Process.claims.pop(holder, None)
        _Process.apply()


def next_id() -> int:
    """A new id from the process's generator (worker 0 until a worker id is configured or
    claimed). Raises WorkerIdUnavailable while a lost worker id is being claimed again."""
    generator = _Process.usable
    if generator is None:
        with _Process.lock:
            _Process.apply()
            generator = _Process.usable
        if generator is None:
            raise WorkerIdUnavailable(
                "no worker id: the connection that held it ended; claiming one again"
            )
    return generator.next_id()
