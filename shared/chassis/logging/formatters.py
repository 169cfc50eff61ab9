"""Two renderings of one log record: aligned colored text for people, JSON for machines."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

# Attributes every LogRecord has; anything else was passed in `extra=` and is shown as key=value.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "correlation_id",
    "trace_id",
    "span_id",
    "taskName",
}
_COLORS = {"DEBUG": "\033[2m", "INFO": "\033[32m", "WARNING": "\033[33m", "ERROR": "\033[31m"}
_RESET, _DIM = "\033[0m", "\033[2m"


def tag_of(record: logging.LogRecord) -> str:
    """`fleet.db` -> DB; third-party loggers keep their first name segment (uvicorn -> UVICORN)."""
    name = record.name
    if name.startswith("fleet."):
        name = name[6:]
    return name.split(".", 1)[0].upper()


class _Clock:
    """Timestamps rendered once per second, then only the milliseconds: `datetime` formatting
    costs about a microsecond, paid on every line otherwise (an access line per request)."""

    def __init__(self, seconds: Callable[[float], str], tail: str) -> None:
        self._seconds, self._tail = seconds, tail
        # One tuple, read and replaced whole: handlers on other threads share the formatter.
        self._cached: tuple[int, str] = (-1, "")

    def __call__(self, created: float) -> str:
        second = int(created)
        cached_second, prefix = self._cached
        if second != cached_second:
            prefix = self._seconds(second)
            self._cached = (second, prefix)
        return f"{prefix}.{int((created - second) * 1000):03d}{self._tail}"


def _utc_seconds(second: float) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _local_seconds(second: float) -> str:
    return datetime.fromtimestamp(second).strftime("%H:%M:%S")


def extras_of(record: logging.LogRecord) -> dict[str, Any]:
    fields = record.__dict__
    extra = fields.keys() - _STANDARD  # a set difference in C: most records have no extras
    return {k: v for k, v in fields.items() if k in extra} if extra else {}


class ConsoleFormatter(logging.Formatter):
    """`12:00:01.123 INFO  [API]  GET /v1/tasks 200 3.1ms  status=200 rid=ab12cd34`"""

    def __init__(self, service: str, color: bool = True) -> None:
        super().__init__()
        self.service = service
        self.color = color
        self._clock = _Clock(_local_seconds, "")

    def format(self, record: logging.LogRecord) -> str:
        when = self._clock(record.created)
        level = record.levelname
        tag = f"[{tag_of(record)}]"
        extras = " ".join(f"{k}={v}" for k, v in extras_of(record).items())
        rid = getattr(record, "correlation_id", None)
        trace_id = getattr(record, "trace_id", None)
        ids = (f"rid={rid[:8]}" if rid else "", f"trace={trace_id[:8]}" if trace_id else "")
        tail = " ".join(p for p in (extras, *ids) if p)
        line = f"{when} {level:<7} {tag:<8} {record.getMessage()}"
        if self.color:
            line = f"{_DIM}{when}{_RESET} {_COLORS.get(level, '')}{level:<7}{_RESET} {tag:<8} "
            line += record.getMessage()
            tail = f"{_DIM}{tail}{_RESET}" if tail else ""
        if tail:
            line = f"{line}  {tail}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the service, tag and correlation id as fields."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self._clock = _Clock(_utc_seconds, "+00:00")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self._clock(record.created),
            "level": record.levelname.lower(),
            "service": self.service,
            "tag": tag_of(record),
            "msg": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
            **extras_of(record),
        }
        if trace_id := getattr(record, "trace_id", None):
            entry["trace_id"], entry["span_id"] = trace_id, getattr(record, "span_id", None)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()
