"""The trace pages: the recent traces (`/traces`) and one trace as a waterfall (`/traces/<id>`).

Both read the store the receiver fills and redraw only when what they show has changed.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from chassis.tracing.received import ReceivedSpan
from fleet_monitor.traces import TraceStore, TraceSummary, summary
from fleet_monitor.waterfall import Bar, Linked, service_color, waterfall

_LABEL_WIDTH = 38  # percent of the row for the span's name; the rest is the time axis
_INDENT = 16  # pixels per level under the parent

_LIST_COLUMNS = [
    {"name": n, "label": label, "field": n, "align": "left"}
    for n, label in (
        ("started", "started"),
        ("root", "root span"),
        ("services", "services"),
        ("spans", "spans"),
        ("duration", "duration"),
        ("error", "error"),
    )
]
_ROOT_CELL = r"""<q-td :props="props">
  <a :href="'/traces/' + props.row.trace_id" class="text-primary">{{ props.value }}</a>
</q-td>"""
_ERROR_CELL = r"""<q-td :props="props">
  <q-badge v-if="props.value" color="negative" label="error" />
</q-td>"""


def mount_trace_pages(store: TraceStore, refresh_seconds: float) -> None:
    """Register `/traces` and `/traces/{trace_id}` with NiceGUI (process-global)."""

    @ui.page("/traces")
    def trace_list() -> None:
        ui.page_title("Traces · Fleet monitor")
        _header("Recent traces")
        kept = ui.label().classes("text-caption text-grey-7")
        table = ui.table(columns=_LIST_COLUMNS, rows=[], row_key="trace_id", pagination=0)
        table.classes("w-full").props("data-testid=traces")
        table.add_slot("body-cell-root", _ROOT_CELL)
        table.add_slot("body-cell-error", _ERROR_CELL)
        shown = -1

        def refresh() -> None:
            nonlocal shown
            if store.revision != shown:
                shown = store.revision
                table.rows = [_list_row(line) for line in store.summaries()]
                kept.set_text(
                    f"{len(store)} traces, {store.span_count} spans "
                    f"(the last {store.max_traces} traces or {store.max_spans} spans are kept)"
                )

        refresh()
        ui.timer(refresh_seconds, refresh)

    @ui.page("/traces/{trace_id}")
    def trace_page(trace_id: str) -> None:
        ui.page_title(f"Trace {trace_id[:8]} · Fleet monitor")
        _header(f"Trace {trace_id}")

        def seen() -> tuple[int, int]:
            return len(store.spans(trace_id)), len(store.linked_from(trace_id))

        @ui.refreshable
        def drawn() -> None:
            spans = store.spans(trace_id)
            if spans:
                _trace(trace_id, spans, store)
            else:
                ui.label("Not received yet, or evicted (only the most recent traces are kept).")

        shown = seen()
        drawn()

        def refresh() -> None:
            nonlocal shown
            if seen() != shown:
                shown = seen()
                drawn.refresh()

        ui.timer(refresh_seconds, refresh)


def _header(title: str) -> None:
    with ui.row().classes("items-center"):
        ui.link("Fleet monitor", "/").classes("text-subtitle1")
        ui.link("Traces", "/traces").classes("text-subtitle1")
    ui.label(title).classes("text-h5")


def _list_row(line: TraceSummary) -> dict[str, Any]:
    return {
        "trace_id": line.trace_id,
        "started": line.started_at[11:23],  # the time of day, to the millisecond
        "root": line.root,
        "services": ", ".join(line.services),
        "spans": line.span_count,
        "duration": f"{line.duration_ms:.1f} ms",
        "error": line.error,
    }


def _trace(trace_id: str, spans: list[ReceivedSpan], store: TraceStore) -> None:
    line = summary(trace_id, spans)
    with ui.row().classes("items-center").props("data-testid=trace-summary"):
        for service in line.services:
            ui.badge(service, color=service_color(service))
        ui.label(f"{line.span_count} spans · {line.duration_ms:.1f} ms · {line.started_at}")
        if line.error:
            ui.badge("error", color="negative")
    for span in store.linked_from(trace_id):
        with ui.row().classes("items-center gap-1 text-body2"):
            ui.icon("link")
            ui.link(
                f"linked from {span.name} ({span.service}) in trace {span.trace_id[:8]}",
                f"/traces/{span.trace_id}",
            )
    drawing = waterfall(trace_id, spans, store.span)
    with ui.column().classes("w-full gap-0").props("data-testid=waterfall"):
        _axis(drawing.duration_ms)
        for bar in drawing.bars:
            _bar(bar)


def _axis(duration_ms: float) -> None:
    with ui.row().classes("w-full no-wrap gap-0 text-caption text-grey-7"):
        ui.label("service · span · duration").style(f"width:{_LABEL_WIDTH}%")
        with ui.element("div").style(_timeline("border-bottom:1px solid #bbb")):
            for quarter in range(5):
                # The first label starts at 0, the last ends at the right edge.
                at = quarter * 25
                ui.label(f"{duration_ms * quarter / 4:.1f} ms").style(
                    f"position:absolute;left:{at}%;transform:translateX(-{at}%);white-space:nowrap"
                )


def _bar(bar: Bar) -> None:
    span, color = bar.span, service_color(bar.span.service)
    with (
        ui.row()
        .classes("w-full no-wrap items-center gap-0")
        .props(f"data-testid=span-{span.span_id}")
    ):
        with (
            ui.row()
            .classes("no-wrap items-center gap-1")
            .style(f"width:{_LABEL_WIDTH}%;padding-left:{bar.depth * _INDENT}px;overflow:hidden")
        ):
            ui.label(span.service).classes("text-caption text-weight-bold").style(f"color:{color}")
            ui.label(span.name).classes("text-body2 ellipsis")
            if span.error:
                ui.icon("error", color="negative").props("data-testid=span-error")
            ui.label(f"{span.duration_ms:.1f} ms").classes("text-caption text-grey-7")
        with ui.element("div").style(_timeline()):
            for start in bar.link_from:
                # The link, drawn: from the end of the linked span to the start of this one.
                left, right = sorted((start, bar.offset))
                ui.element("div").style(
                    f"position:absolute;left:{left}%;width:{right - left}%;top:9px;"
                    f"border-top:2px dashed {color}"
                )
            error = "outline:2px solid #c10015;" if span.error else ""
            with ui.element("div").style(
                f"position:absolute;left:{bar.offset}%;width:{bar.width}%;top:3px;height:14px;"
                f"background:{color};border-radius:2px;{error}"
            ):
                ui.tooltip(_details(span)).style("white-space:pre-line")
    for linked in bar.links:
        _link(linked, bar.depth)


def _timeline(extra: str = "") -> str:
    return f"position:relative;width:{100 - _LABEL_WIDTH}%;height:20px;{extra}"


def _link(linked: Linked, depth: int) -> None:
    target = linked.span
    named = f"{target.name} ({target.service})" if target else f"span {linked.span_id[:8]}"
    with (
        ui.row()
        .classes("items-center gap-1 text-caption text-grey-8")
        .style(f"padding-left:{depth * _INDENT + 20}px")
    ):
        ui.icon("link", size="xs")
        if linked.same_trace:
            ui.label(f"links to {named} in this trace" + ("" if target else " (not received)"))
        else:
            ui.link(
                f"links to {named} in trace {linked.trace_id[:8]}", f"/traces/{linked.trace_id}"
            ).props("data-testid=linked-trace")


def _details(span: ReceivedSpan) -> str:
    lines = [f"{span.kind} · {span.duration_ms:.2f} ms · span {span.span_id}"]
    lines += [f"{key} = {value}" for key, value in sorted(span.attributes.items())]
    lines += [f"event {e.name} at +{(e.time_ns - span.start_ns) / 1e6:.1f} ms" for e in span.events]
    return "\n".join(lines)
