"""Questions about a device's readings: time windows and bucket sizes, in the domain's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from devices.service.errors import InvalidQuery
from devices.service.ingestion import epoch_us

_BUCKET = re.compile(r"^([1-9][0-9]{0,4})([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


@dataclass(frozen=True)
class Window:
    from_us: int
    to_us: int


def window(start: datetime | None, end: datetime | None, *, now: datetime) -> Window:
    """[start, end): the last 24 hours unless told otherwise."""
    end = end or now
    start = start or end - timedelta(days=1)
    if start >= end:
        raise InvalidQuery("`from` must be before `to`")
    return Window(epoch_us(start), epoch_us(end))


def bucket_us(bucket: str) -> int:
    """`30s`, `1m`, `15m`, `1h`, `1d` as microseconds."""
    match = _BUCKET.match(bucket)
    if match is None:
        raise InvalidQuery(f"bucket {bucket!r} is not like 30s, 1m, 1h or 1d")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)] * 1_000_000


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, UTC)
