"""Handlers, the correlation-id filter and the in-memory tail the monitor page shows."""

from __future__ import annotations

import collections
import logging
import sys
from typing import Any

from chassis.config import LoggingSettings
from chassis.context import correlation_id
from chassis.logging.formatters import ConsoleFormatter, JsonFormatter
from chassis.tracing.context import trace_ids

_ROOT = "fleet"


_base_factory = logging.getLogRecordFactory()


def _record_with_correlation_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # Stamped when the record is made, in the caller's context (a handler may run elsewhere).
    record = _base_factory(*args, **kwargs)
    record.correlation_id = correlation_id.get()
    return record


def _record_with_trace(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _record_with_correlation_id(*args, **kwargs)
    record.trace_id, record.span_id = trace_ids() or (None, None)
    return record


class RecentLines(logging.Handler):
    """Keeps the last `size` records in memory for the /monitor page, formatted only when read
    (the hot path pays for an append, not for a second rendering of every line)."""

    def __init__(self, size: int = 200) -> None:
        super().__init__()
        self.records: collections.deque[logging.LogRecord] = collections.deque(maxlen=size)

    def handle(self, record: logging.LogRecord) -> bool:
        # A deque append is atomic: no handler lock, no filters, on the path of every log line.
        self.records.append(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def snapshot(self) -> list[str]:
        records = list(self.records)  # one C-level copy: appends from other threads wait for it
        return [self.format(record) for record in records]


_recent = RecentLines()


def recent_lines() -> RecentLines:
    """The process's in-memory tail of log lines."""
    return _recent


def tagged_logger(tag: str) -> logging.Logger:
    """The logger of one adapter kind: its lines show `[TAG]` (API, DB, MQTT, HTTP, APP...)."""
    return logging.getLogger(f"{_ROOT}.{tag.lower()}")


def configure_logging(settings: LoggingSettings, service: str, *, traced: bool = False) -> None:
    """Route the process's logging (ours, uvicorn's, libraries') through one set of handlers.
    `traced`: lines also carry the trace and span ids of the work in progress."""
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
    logging.setLogRecordFactory(_record_with_trace if traced else _record_with_correlation_id)
    # Nothing shows the caller's file and line, thread or process: skip finding them for every
    # record (the logging docs' own "optimization" switches; an access line is on the hot path).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    for handler in handlers:
        handler._fleet = True  # type: ignore[attr-defined]
        handler.setFormatter(
            ConsoleFormatter(service, color=False)
            if handler is _recent and settings.format == "console"
            else formatter
        )
        root.addHandler(handler)
    root.setLevel(settings.level)
    # uvicorn's own access log would duplicate the chassis's; its error log is kept.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every request at INFO; the chassis client logs what matters (retries, breakers).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
