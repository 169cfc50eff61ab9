"""What a Pants goal said of each thing it ran: the `✓`/`✕` lines of its closing summary
(`✓ services/a/tests/test_x.py:tests succeeded in 2.1s.`, `✕ mypy failed.`). A `test` killed
at its timeout prints no summary: then its `Completed: Run Pytest - <address> - failed` lines,
one per test file as it ended, say what had run by then."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PYTEST = re.compile(r"Completed: Run Pytest - (\S+) - (succeeded|failed.*?)\.?$")


@dataclass(frozen=True)
class Verdicts:
    passed: int = 0
    failed: list[str] = field(default_factory=list)  # what failed, as Pants put it
    partial: bool = False  # no summary: counted from the test files that had ended

    @property
    def summary(self) -> str:
        counts = f"{self.passed} passed, {len(self.failed)} failed"
        return f"{counts} before it was stopped" if self.partial else counts


def verdicts(output: str) -> Verdicts:
    """The verdicts in `output` (colours already stripped)."""
    passed, failed, ended, ended_failing = 0, [], 0, []
    for line in output.splitlines():
        text = line.strip()
        if text.startswith("✓ "):
            passed += 1
        elif text.startswith("✕ "):
            failed.append(text[2:])
        elif found := _PYTEST.search(text):
            if found.group(2) == "succeeded":
                ended += 1
            else:
                ended_failing.append(f"{found.group(1)} {found.group(2)}")
    if passed or failed or not (ended or ended_failing):
        return Verdicts(passed, failed)
    return Verdicts(ended, ended_failing, partial=True)
