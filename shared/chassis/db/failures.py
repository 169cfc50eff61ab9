"""Telling "the database is unavailable" apart from "the database refused this data".

An outage (server down or restarting, connection lost, pool exhausted, too many connections) is
transient: HTTP answers 503 with Retry-After, and the MQTT consumer pauses and retries. A refusal
(a constraint, a value out of range, a NUL in text) is about the data: retrying the same
statement cannot help, so its message is set aside. Both take SQLAlchemy's wrapped errors and
the driver's own (raised by raw-connection work such as COPY).

>>> try:
...     await database.transaction(work)
... except Exception as exc:
...     if database_unavailable(exc): ...   # wait and try again
...     elif data_refused(exc): ...         # dead-letter what was written
"""

from __future__ import annotations

import sqlite3
import sys
from types import ModuleType

import sqlalchemy as sa

RETRY_AFTER_SECONDS = 2
"""What a client is told to wait: a restarting PostgreSQL is usually back within seconds, and the
pool reconnects on the first request after it is."""

# SQLSTATE classes and codes of a server that cannot serve: connection exceptions (08),
# insufficient resources (53: too many connections, out of memory), operator intervention
# (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now: starting up).
_UNAVAILABLE_CLASSES = ("08", "53")
_UNAVAILABLE_CODES = {"57P01", "57P02", "57P03"}
_SQLITE_BUSY = ("database is locked", "unable to open database file")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database cannot be reached right now."""
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection came free in pool_timeout
        return True
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    error = _driver_error(exc)
    if isinstance(error, sqlite3.OperationalError):
        return str(error).startswith(_SQLITE_BUSY)
    psycopg = _psycopg()
    if psycopg is None or not isinstance(error, psycopg.OperationalError):
        return False
    if error.sqlstate is None:  # failed on the client side: refused, reset, timed out
        return True
    return error.sqlstate.startswith(_UNAVAILABLE_CLASSES) or error.sqlstate in _UNAVAILABLE_CODES


def data_refused(exc: BaseException) -> bool:
    """Whether `exc` is the database refusing the data itself (DB-API DataError: out of range,
    too long, bad encoding; IntegrityError: a constraint)."""
    error = _driver_error(exc)
    refusals: tuple[type[BaseException], ...] = (sqlite3.DataError, sqlite3.IntegrityError)
    psycopg = _psycopg()
    if psycopg is not None:
        refusals += (psycopg.DataError, psycopg.IntegrityError)
    return isinstance(error, refusals)


def _psycopg() -> ModuleType | None:
    """psycopg if loaded: a process on SQLite never imports it (9 MB), so then no error it sees
    can be one of psycopg's."""
    return sys.modules.get("psycopg")


def _driver_error(exc: BaseException) -> BaseException | None:
    """The driver's own exception: SQLAlchemy wraps it; raw-connection work raises it bare."""
    return exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
