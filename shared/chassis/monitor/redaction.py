"""Scrubs credentials from log lines before the monitor shows them.

Log lines carry whatever an adapter wrote: a request path, a broker or database URL, an error
that quotes a header. The monitor is read by operators, not by the owners of those secrets, so
every line it shows goes through `redact` first (the log files themselves are the logging
pipeline's business).
"""

from __future__ import annotations

import re

_HIDDEN = "[redacted]"

# Order matters: whole header values before the bare bearer tokens and JWTs they contain.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # `Authorization: Bearer abc`, `authorization=Basic abc`, `"authorization": "abc"`.
    (
        re.compile(r"""(authorization["']?\s*[:=]\s*["']?)(?:[A-Za-z]+\s+)?[^\s"',;&]+""", re.I),
        rf"\1{_HIDDEN}",
    ),
    (re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.I), rf"\1 {_HIDDEN}"),
    # Three base64url parts, the first a JSON object (`eyJ` is `{"`): a JWT wherever it sits.
    (re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), _HIDDEN),
    # The user info of a URL: scheme://user:password@host.
    (re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/\s@]+@", re.I), rf"\1{_HIDDEN}@"),
    # password=..., client_secret: ..., "api_key": "...", access_token=... (names containing one).
    (
        re.compile(
            r"""\b([\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|credential)s?)"""
            r"""(["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\s"',;&}]+)""",
            re.I,
        ),
        rf"\1\2{_HIDDEN}",
    ),
]


def redact(line: str) -> str:
    """`line` with tokens, passwords, secrets and URL credentials replaced by `[redacted]`.

    >>> redact("connecting to mqtt://devices:hunter2@broker:1883")
    'connecting to mqtt://[redacted]@broker:1883'
    """
    for pattern, replacement in _RULES:
        line = pattern.sub(replacement, line)
    return line
