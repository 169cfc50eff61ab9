"""What the runner prints: service lines with their prefix, and its own lines as `fleet`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TextIO

from fleet.logs import LogPrefixer

_RED = "\x1b[1;31m"
_RESET = "\x1b[0m"


class Terminal:
    def __init__(self, names: Iterable[str], stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stdout
        self.colors = self._stream.isatty() and "NO_COLOR" not in os.environ
        self._prefixer = LogPrefixer(names, colors=self.colors)

    def emit(self, name: str, line: str) -> None:
        """A line of a service's output."""
        self._write(self._prefixer.line(name, line))

    def say(self, text: str) -> None:
        """A line of the runner's own."""
        for line in text.splitlines() or [""]:
            self._write(self._prefixer.line("fleet", line))

    def alarm(self, text: str) -> None:
        """Something is wrong with a service: hard to miss."""
        self.say(f"{_RED}!!! {text}{_RESET}" if self.colors else f"!!! {text}")

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()
