"""One trace laid out as a waterfall: a bar per span on the trace's time axis, under its parent.

Pure: the page draws what `waterfall` returns. A span whose parent was not received (still on
its way, or sampled out upstream) starts a tree of its own rather than vanishing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zlib import crc32

from chassis.tracing.received import ReceivedSpan

# Distinct on white, and none of them the red errors are drawn in.
PALETTE = ("#1976d2", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457", "#827717")
# A bar narrower than this would vanish: the shortest spans stay visible.
MIN_WIDTH = 0.4


@dataclass(frozen=True)
class Linked:
    """A span this one links to (the message it processes, the transaction that recorded it)."""

    trace_id: str
    span_id: str
    span: ReceivedSpan | None  # None while it has not been received (or was evicted)
    same_trace: bool


@dataclass(frozen=True)
class Bar:
    span: ReceivedSpan
    depth: int
    offset: float  # percent of the trace's duration before the span starts
    width: float  # percent of the trace's duration the span lasts
    links: tuple[Linked, ...] = ()
    # Where each link to a span of this trace leaves from: the linked span's end, in percent.
    link_from: tuple[float, ...] = ()


@dataclass(frozen=True)
class Waterfall:
    bars: tuple[Bar, ...]
    start_ns: int
    duration_ms: float


def waterfall(
    trace_id: str, spans: list[ReceivedSpan], find: Callable[[str, str], ReceivedSpan | None]
) -> Waterfall:
    """The bars of `spans` (one trace's) depth first, siblings by start; `find(trace, span)`
    looks up linked spans, in this trace or another."""
    if not spans:
        return Waterfall((), 0, 0.0)
    start = min(s.start_ns for s in spans)
    total = max(max(s.end_ns for s in spans) - start, 1)

    def percent(ns: int) -> float:
        return (ns - start) / total * 100

    def bar(span: ReceivedSpan, depth: int) -> Bar:
        links = tuple(Linked(t, s, find(t, s), t == trace_id) for t, s in span.links)
        drawn = tuple(percent(k.span.end_ns) for k in links if k.same_trace and k.span)
        width = max(percent(span.end_ns) - percent(span.start_ns), MIN_WIDTH)
        return Bar(span, depth, min(percent(span.start_ns), 100 - width), width, links, drawn)

    return Waterfall(
        tuple(bar(span, depth) for span, depth in _depth_first(spans)), start, total / 1e6
    )


def _depth_first(spans: list[ReceivedSpan]) -> list[tuple[ReceivedSpan, int]]:
    ordered = sorted(spans, key=lambda s: s.start_ns)
    ids = {s.span_id for s in ordered}
    children: dict[str, list[ReceivedSpan]] = {}
    for span in ordered:
        if span.parent_id in ids:
            children.setdefault(span.parent_id or "", []).append(span)
    roots = [s for s in ordered if s.parent_id not in ids]
    placed: list[tuple[ReceivedSpan, int]] = []
    seen: set[str] = set()
    stack = [(s, 0) for s in reversed(roots)]
    while stack:
        span, depth = stack.pop()
        if span.span_id in seen:
            continue
        seen.add(span.span_id)
        placed.append((span, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(span.span_id, []))]
    # Spans that are each other's ancestors (a malformed export) reach no root: shown flat.
    placed += [(s, 0) for s in ordered if s.span_id not in seen]
    return placed


def service_color(service: str) -> str:
    """The same color for a service on every trace and every page load."""
    return PALETTE[crc32(service.encode()) % len(PALETTE)]
