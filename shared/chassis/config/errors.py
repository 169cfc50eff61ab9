"""What is wrong with a service's configuration, said once, every problem at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    """One bad setting: `field` is its dotted path (`http.port`), `detail` what is wrong and
    where the value came from; `unknown` when the key names no setting at all."""

    field: str
    detail: str
    unknown: bool = False

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


class ConfigError(Exception):
    """Invalid configuration: one message naming every bad or unknown field and where its
    value came from, so one failed start tells the operator everything to fix.

    >>> try:
    ...     UsersSettings.load()
    ... except ConfigError as exc:
    ...     [p.field for p in exc.problems if p.unknown]
    ['authx']
    """

    def __init__(self, service: str, problems: Sequence[ConfigProblem]) -> None:
        self.service = service
        self.problems = tuple(problems)
        count = f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}"
        lines = [f"Invalid configuration for {service} ({count}):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))

    def unknown_keys(self) -> ConfigError | None:
        """The same error with the unknown keys only, or None when every key names a setting:
        for checks that see names but not values (secrets not at hand)."""
        unknown = [problem for problem in self.problems if problem.unknown]
        return ConfigError(self.service, unknown) if unknown else None
