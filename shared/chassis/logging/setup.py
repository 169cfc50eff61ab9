"""Handlers, the correlation-id filter and the in-memory tail the monitor page shows."""

from __future__ import annotations

import collections
import logging
import sys
import threading

from chassis.config import LoggingSettings
from chassis.context import correlation_id
from chassis.logging.formatters import ConsoleFormatter, JsonFormatter

_ROOT = "fleet"


class _CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True


class RecentLines(logging.Handler):
    """Keeps the last `size` formatted lines in memory, for the /monitor page."""

    def __init__(self, size: int = 200) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._guard:
            self.lines.append(line)

    def snapshot(self) -> list[str]:
        with self._guard:
            return list(self.lines)


_recent = RecentLines()


def recent_lines() -> RecentLines:
    """The process's in-memory tail of log lines."""
    return _recent


def tagged_logger(tag: str) -> logging.Logger:
    """The logger of one adapter kind: its lines show `[TAG]` (API, DB, MQTT, HTTP, APP...)."""
    return logging.getLogger(f"{_ROOT}.{tag.lower()}")


def configure_logging(settings: LoggingSettings, service: str) -> None:
    """Route the process's logging (ours, uvicorn's, libraries') through one set of handlers."""
    formatter: logging.Formatter = (
        JsonFormatter(service) if settings.format == "json" else ConsoleFormatter(service)
    )
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr), _recent]
    if settings.file is not None:
        settings.file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(settings.file))
    root = logging.getLogger()
    # Replace only what an earlier call installed: handlers others added (pytest's caplog) stay.
    for handler in list(root.handlers):
        if getattr(handler, "_fleet", False):
            root.removeHandler(handler)
            if handler is not _recent:
                handler.close()
    for handler in handlers:
        handler._fleet = True  # type: ignore[attr-defined]
        handler.setFormatter(
            ConsoleFormatter(service, color=False)
            if handler is _recent and settings.format == "console"
            else formatter
        )
        handler.addFilter(_CorrelationFilter())
        root.addHandler(handler)
    root.setLevel(settings.level)
    # uvicorn's own access log would duplicate the chassis's; its error log is kept.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every request at INFO; the chassis client logs what matters (retries, breakers).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
