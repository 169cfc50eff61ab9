"""The scale benchmark's report: one fact a line, printed as it comes, and the figures beside
them (reports/fleet_scale.json)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bench.scale.verdicts import Verdicts, verdicts
from bench.scale.workspace import Run


class StepFailed(Exception):
    """A step the rest depend on failed: the run stops there."""


class Report:
    """Facts, one a line, printed as they come; the figures beside them for the JSON."""

    def __init__(self) -> None:
        self.facts: list[str] = []
        self.problems: list[str] = []
        self.figures: dict[str, Any] = {}

    def fact(self, line: str) -> None:
        print(line, flush=True)
        self.facts.append(line)

    def problem(self, text: str) -> None:
        """Something that failed; its details (a log's tail) are printed, and kept in the
        JSON's `problems`, not among the one-line facts."""
        self.problems.append(text)
        first, _, details = text.partition("\n")
        print(f"PROBLEM: {text}", flush=True)
        self.facts.append(f"PROBLEM: {first}" + (" (details: problems)" if details else ""))

    def judge(self, key: str, run: Run) -> Verdicts:
        """A Pants goal's verdicts, kept under `key`; each failure, or its timeout, a problem."""
        counts = verdicts(run.output())
        self.figures[key] = {"seconds": round(run.seconds), **asdict(counts)}
        for failure in counts.failed:
            self.problem(f"{run.what}: {failure}")
        if run.returncode is None:
            self.problem(f"{run.what}: timed out after {run.seconds / 60:.0f} min ({run.log})")
        elif not run.ok and not counts.failed:
            self.problem(f"{run.what}: {run.verdict} ({run.log}):\n{run.tail()}")
        return counts

    def require(self, run: Run) -> Run:
        if not run.ok:
            raise StepFailed(f"{run.what} {run.verdict} ({run.log}):\n{run.tail()}")
        return run
