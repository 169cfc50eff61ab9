"""The trace store: spans grouped by trace, bounded, the least recently updated trace evicted."""

from chassis.tracing.received import ReceivedSpan
from fleet_monitor.traces import TraceStore, summary

MS = 1_000_000


def _span(
    trace: str,
    span: str,
    parent: str | None = None,
    *,
    service: str = "tasks",
    name: str = "GET /v1/tasks/{task_id}",
    start: int = 0,
    end: int = 1,
    error: bool = False,
    links: tuple[tuple[str, str], ...] = (),
) -> ReceivedSpan:
    return ReceivedSpan(
        service, trace, span, parent, name, "server", start * MS, end * MS, error, links=links
    )


def test_spans_of_one_trace_arriving_in_several_exports_make_one_trace() -> None:
    store = TraceStore()
    store.add([_span("t1", "a", service="devices", name="process telemetry", end=10)])
    store.add([_span("t1", "b", "a", service="tasks", start=2, end=6)])
    (line,) = store.summaries()
    assert (line.trace_id, line.span_count, line.services) == ("t1", 2, ("devices", "tasks"))
    assert [s.span_id for s in store.spans("t1")] == ["a", "b"]


def test_the_list_shows_the_trace_that_began_last_first() -> None:
    store = TraceStore()
    store.add([_span("late", "a", start=50, end=60), _span("early", "b", start=0, end=5)])
    assert [line.trace_id for line in store.summaries()] == ["late", "early"]


def test_a_summary_names_the_root_and_spans_from_first_start_to_last_end() -> None:
    spans = [
        _span("t", "child", "root", name="INSERT tasks", start=3, end=12),
        _span("t", "root", name="POST /v1/tasks", start=1, end=9),
    ]
    line = summary("t", spans)
    assert line.root == "POST /v1/tasks"
    assert line.duration_ms == 11.0
    assert not line.error


def test_one_failed_span_marks_the_whole_trace_as_an_error() -> None:
    line = summary("t", [_span("t", "a"), _span("t", "b", "a", error=True)])
    assert line.error


def test_until_its_root_arrives_a_trace_is_named_by_its_earliest_span() -> None:
    line = summary("t", [_span("t", "b", "missing", name="POST /v1/tasks", start=4)])
    assert line.root == "POST /v1/tasks"


def test_the_oldest_trace_is_evicted_beyond_the_trace_limit() -> None:
    store = TraceStore(max_traces=2)
    for trace in ("t1", "t2", "t3"):
        store.add([_span(trace, "a")])
    assert sorted(line.trace_id for line in store.summaries()) == ["t2", "t3"]
    assert store.spans("t1") == []


def test_a_trace_that_just_received_a_span_is_not_the_one_evicted() -> None:
    store = TraceStore(max_traces=2)
    store.add([_span("t1", "a")])
    store.add([_span("t2", "a")])
    store.add([_span("t1", "b", "a")])  # a late span: t1 is now the fresher one
    store.add([_span("t3", "a")])
    assert sorted(line.trace_id for line in store.summaries()) == ["t1", "t3"]


def test_old_traces_are_evicted_to_keep_the_span_limit() -> None:
    store = TraceStore(max_spans=4)
    store.add([_span("t1", s) for s in "abc"])
    store.add([_span("t2", s) for s in "ab"])
    assert [line.trace_id for line in store.summaries()] == ["t2"]
    assert store.span_count == 2


def test_one_trace_never_holds_more_than_the_span_limit() -> None:
    store = TraceStore(max_spans=3)
    store.add([_span("huge", s) for s in "abcde"])
    assert store.span_count == 3
    assert store.dropped == 2
    assert len(store) == 1


def test_a_span_exported_twice_counts_once() -> None:
    store = TraceStore()
    store.add([_span("t", "a")])
    store.add([_span("t", "a")])
    assert store.span_count == 1


def test_every_change_moves_the_revision_on() -> None:
    store = TraceStore()
    before = store.revision
    store.add([_span("t", "a")])
    assert store.revision > before


def test_spans_of_other_traces_linking_to_a_trace_are_found_from_it() -> None:
    store = TraceStore()
    store.add([_span("recorded", "tx"), _span("relay", "publish", links=(("recorded", "tx"),))])
    assert [s.span_id for s in store.linked_from("recorded")] == ["publish"]
    assert store.linked_from("relay") == []
