"""The verdict on a run: locust's stats CSV -> per-request figures, then pass or fail.

Pure (text in, values out), so it is tested on a small CSV without running locust.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

AGGREGATE = "Aggregated"  # the name of the CSV row that sums every request


class StatsUnreadable(Exception):
    """The stats CSV is missing its columns or its aggregate row."""


@dataclass(frozen=True)
class RequestFigures:
    """One row of the CSV: a request name (ids grouped) or the aggregate of all of them."""

    kind: str  # GET, POST, MQTT ...; empty for the aggregate
    name: str
    requests: int
    failures: int
    median_ms: float | None  # None: no request answered, nothing to measure
    p95_ms: float | None
    p99_ms: float | None
    rps: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Targets:
    p95_ms: float = 500.0
    max_error_rate: float = 0.01


@dataclass(frozen=True)
class Verdict:
    requests: list[RequestFigures]
    total: RequestFigures
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def judge(stats_csv: str, targets: Targets, exceptions_csv: str = "") -> Verdict:
    """Pass unless no request was made, the error rate is over the maximum, the aggregate p95 is
    over the target, or the load test's own code raised (locust's `*_exceptions.csv`): its flows
    then stopped short, and the figures measure less than they claim."""
    rows = read_figures(stats_csv)
    totals = [row for row in rows if row.name == AGGREGATE and not row.kind]
    if not totals:
        raise StatsUnreadable(f"no {AGGREGATE!r} row in the stats CSV")
    total = totals[0]
    problems = _problems(total, targets) + _raised(exceptions_csv)
    return Verdict([row for row in rows if row is not total], total, problems)


def read_figures(stats_csv: str) -> list[RequestFigures]:
    """Every row of a locust `*_stats.csv`, in its order."""
    try:
        return [_figures(row) for row in csv.DictReader(io.StringIO(stats_csv))]
    except (KeyError, ValueError) as exc:
        raise StatsUnreadable(f"not a locust stats CSV ({exc!r})") from None


def _problems(total: RequestFigures, targets: Targets) -> list[str]:
    if total.requests == 0:
        return ["no request was made: is the fleet up?"]
    problems = []
    if total.error_rate > targets.max_error_rate:
        problems.append(
            f"error rate {total.error_rate:.2%} is over the {targets.max_error_rate:.2%} allowed "
            f"({total.failures} of {total.requests} requests failed)"
        )
    if total.p95_ms is not None and total.p95_ms > targets.p95_ms:
        problems.append(f"p95 {total.p95_ms:g} ms is over the {targets.p95_ms:g} ms target")
    return problems


def _raised(exceptions_csv: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(exceptions_csv)))
    if not rows:
        return []
    try:
        count = sum(int(row["Count"]) for row in rows)
    except (KeyError, ValueError) as exc:
        raise StatsUnreadable(f"not a locust exceptions CSV ({exc!r})") from None
    return [f"the load test raised {count} exception(s), first: {rows[0]['Message']}"]


def _figures(row: dict[str, str]) -> RequestFigures:
    return RequestFigures(
        kind=row["Type"],
        name=row["Name"],
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        median_ms=_milliseconds(row["50%"]),
        p95_ms=_milliseconds(row["95%"]),
        p99_ms=_milliseconds(row["99%"]),
        rps=float(row["Requests/s"]),
    )


def _milliseconds(cell: str) -> float | None:
    # Locust writes "N/A" for a percentile of a request that never completed.
    return None if cell in ("", "N/A") else float(cell)
