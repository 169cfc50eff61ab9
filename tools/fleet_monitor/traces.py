"""The recent traces the fleet sent: spans grouped by trace id, bounded, oldest forgotten first.

Spans arrive in batches, a trace's spans in several (each service exports its own, a consumer's
long after the producer's), so a trace stays open to new spans for as long as it is kept. The
trace updated longest ago is the first evicted; a trace alone never holds more than the span
limit (its later spans are counted as dropped), so eviction always leaves the newest trace whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from chassis.tracing.received import ReceivedSpan


@dataclass(frozen=True)
class TraceSummary:
    """One line of the trace list."""

    trace_id: str
    root: str  # the name of the span nothing received is the parent of, earliest first
    services: tuple[str, ...]  # in the order they joined the trace
    span_count: int
    start_ns: int
    duration_ms: float
    error: bool

    @property
    def started_at(self) -> str:
        """Local wall-clock time of the first span, to the millisecond."""
        moment = datetime.fromtimestamp(self.start_ns / 1e9).astimezone()
        return moment.isoformat(timespec="milliseconds")


def summary(trace_id: str, spans: list[ReceivedSpan]) -> TraceSummary:
    """The line for `spans` (one trace's, at least one)."""
    ordered = sorted(spans, key=lambda s: s.start_ns)
    received = {s.span_id for s in ordered}
    roots = [s for s in ordered if s.parent_id not in received]
    start = ordered[0].start_ns
    end = max(s.end_ns for s in ordered)
    return TraceSummary(
        trace_id=trace_id,
        root=roots[0].name if roots else ordered[0].name,
        services=tuple(dict.fromkeys(s.service for s in ordered)),
        span_count=len(ordered),
        start_ns=start,
        duration_ms=(end - start) / 1e6,
        error=any(s.error for s in ordered),
    )


class TraceStore:
    """The last `max_traces` traces, `max_spans` spans at most in all; `revision` moves on
    every change, so a page can tell that it has nothing new to draw."""

    def __init__(self, max_traces: int = 200, max_spans: int = 20_000) -> None:
        self.max_traces = max_traces
        self.max_spans = max_spans
        self.revision = 0
        self.dropped = 0  # spans refused because their trace already held max_spans
        self._traces: OrderedDict[str, dict[str, ReceivedSpan]] = OrderedDict()
        self._span_count = 0

    @property
    def span_count(self) -> int:
        return self._span_count

    def __len__(self) -> int:
        return len(self._traces)

    def add(self, spans: Iterable[ReceivedSpan]) -> None:
        for span in spans:
            trace = self._traces.setdefault(span.trace_id, {})
            self._traces.move_to_end(span.trace_id)
            if span.span_id in trace:
                trace[span.span_id] = span  # an exporter's retry: the same span again
            elif len(trace) >= self.max_spans:
                self.dropped += 1
            else:
                trace[span.span_id] = span
                self._span_count += 1
        while len(self._traces) > self.max_traces or self._span_count > self.max_spans:
            _, evicted = self._traces.popitem(last=False)
            self._span_count -= len(evicted)
        self.revision += 1

    def summaries(self) -> list[TraceSummary]:
        """Every trace kept, the one that began last first."""
        lines = [summary(tid, list(spans.values())) for tid, spans in self._traces.items() if spans]
        return sorted(lines, key=lambda line: line.start_ns, reverse=True)

    def spans(self, trace_id: str) -> list[ReceivedSpan]:
        """The spans of one trace by start time; none when it is unknown or was evicted."""
        return sorted(self._traces.get(trace_id, {}).values(), key=lambda s: s.start_ns)

    def span(self, trace_id: str, span_id: str) -> ReceivedSpan | None:
        return self._traces.get(trace_id, {}).get(span_id)

    def linked_from(self, trace_id: str) -> list[ReceivedSpan]:
        """Spans of other traces that link to a span of this one (a consumer of its events)."""
        return [
            span
            for other, spans in self._traces.items()
            if other != trace_id
            for span in spans.values()
            if any(linked == trace_id for linked, _ in span.links)
        ]
