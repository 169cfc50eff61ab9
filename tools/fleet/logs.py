"""Each service's output, prefixed with its name in its own color, as `honcho`/`foreman` do."""

from __future__ import annotations

import re
from collections.abc import Iterable

_COLORS = ("36", "33", "35", "32", "34", "91", "96", "93")  # cyan, yellow, magenta, green, ...
_RESET = "\x1b[0m"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class LogPrefixer:
    """`users   | <line>`: names padded to one width, so the lines of all services align."""

    def __init__(self, names: Iterable[str], *, colors: bool) -> None:
        self._names = list(dict.fromkeys([*names, "fleet"]))
        self._width = max(len(n) for n in self._names)
        self._colors = colors

    def prefix(self, name: str) -> str:
        label = f"{name:<{self._width}} |"
        if not self._colors:
            return label
        index = self._names.index(name) if name in self._names else len(self._names)
        color = "1" if name == "fleet" else _COLORS[index % len(_COLORS)]
        return f"\x1b[{color}m{label}{_RESET}"

    def line(self, name: str, text: str) -> str:
        text = text.rstrip("\r\n")
        return f"{self.prefix(name)} {text if self._colors else strip_colors(text)}"


def strip_colors(text: str) -> str:
    """The text without ANSI color codes (for log files and dumb terminals)."""
    return _ANSI.sub("", text)
