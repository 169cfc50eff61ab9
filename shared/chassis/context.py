"""The correlation id of the work in progress, carried through async code by a contextvar.

Set once at the edge (an HTTP request, an MQTT message), read by log lines, outgoing HTTP calls and
published events, so one id follows a piece of work across every service it touches.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    """A fresh random id: 128 bits, hex (cheaper than uuid4 on the hot path)."""
    return os.urandom(16).hex()


def current_correlation_id() -> str | None:
    return correlation_id.get()
