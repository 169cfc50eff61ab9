"""The summary printed after a run: one line per request name, the aggregate, the verdict."""

from __future__ import annotations

from load.verdict import RequestFigures, Targets, Verdict

_HEADER = ("type", "name", "requests", "failures", "median ms", "p95 ms", "p99 ms", "req/s")


def summary(verdict: Verdict, targets: Targets) -> str:
    rows = [_HEADER, *(_cells(r) for r in verdict.requests), _cells(verdict.total)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = [_line(row, widths) for row in rows]
    rule = "-" * len(lines[0])
    lines[-1:-1] = [rule]  # sets the aggregate apart
    lines.insert(1, rule)
    outcome = (
        f"PASS: error rate {verdict.total.error_rate:.2%} (max {targets.max_error_rate:.2%}), "
        f"p95 {_ms(verdict.total.p95_ms)} ms (target {targets.p95_ms:g} ms)"
        if verdict.passed
        else "FAIL: " + "; ".join(verdict.problems)
    )
    return "\n".join([*lines, "", outcome])


def _cells(figures: RequestFigures) -> tuple[str, ...]:
    return (
        figures.kind,
        figures.name,
        str(figures.requests),
        f"{figures.failures} ({figures.error_rate:.1%})",
        _ms(figures.median_ms),
        _ms(figures.p95_ms),
        _ms(figures.p99_ms),
        f"{figures.rps:.1f}",
    )


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    # Names left, figures right-aligned so their digits line up.
    left = [f"{c:<{w}}" for c, w in zip(cells[:2], widths[:2], strict=True)]
    right = [f"{c:>{w}}" for c, w in zip(cells[2:], widths[2:], strict=True)]
    return "  ".join(left + right).rstrip()


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
