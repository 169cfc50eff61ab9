"""A trace as a waterfall: bars on the trace's time axis, each under its parent, links resolved."""

from chassis.tracing.received import ReceivedSpan
from fleet_monitor.waterfall import MIN_WIDTH, service_color, waterfall

MS = 1_000_000


def _span(
    span: str,
    parent: str | None = None,
    start: int = 0,
    end: int = 100,
    trace: str = "t",
    links: tuple[tuple[str, str], ...] = (),
) -> ReceivedSpan:
    return ReceivedSpan(
        "tasks", trace, span, parent, span, "server", start * MS, end * MS, False, links=links
    )


def _nowhere(trace: str, span: str) -> ReceivedSpan | None:
    return None


def test_children_sit_under_their_parent_one_level_deeper_in_start_order() -> None:
    spans = [
        _span("root", None, 0, 100),
        _span("second", "root", 50, 90),
        _span("first", "root", 10, 40),
        _span("grandchild", "first", 20, 30),
    ]
    bars = waterfall("t", spans, _nowhere).bars
    assert [(b.span.span_id, b.depth) for b in bars] == [
        ("root", 0),
        ("first", 1),
        ("grandchild", 2),
        ("second", 1),
    ]


def test_bars_are_placed_in_percent_of_the_trace_duration() -> None:
    drawn = waterfall("t", [_span("root", None, 0, 200), _span("c", "root", 50, 150)], _nowhere)
    assert drawn.duration_ms == 200.0
    child = drawn.bars[1]
    assert (child.offset, child.width) == (25.0, 50.0)


def test_an_instant_span_still_gets_a_visible_bar_inside_the_axis() -> None:
    bars = waterfall("t", [_span("root", None, 0, 100), _span("c", "root", 100, 100)], _nowhere)
    assert bars.bars[1].width == MIN_WIDTH
    assert bars.bars[1].offset + bars.bars[1].width <= 100


def test_a_span_whose_parent_was_not_received_starts_its_own_tree() -> None:
    bars = waterfall("t", [_span("root"), _span("orphan", "never-arrived", 10, 20)], _nowhere).bars
    assert [(b.span.span_id, b.depth) for b in bars] == [("root", 0), ("orphan", 0)]


def test_spans_that_are_each_others_parents_are_still_all_shown() -> None:
    bars = waterfall("t", [_span("a", "b"), _span("b", "a")], _nowhere).bars
    assert sorted(b.span.span_id for b in bars) == ["a", "b"]


def test_a_link_into_the_same_trace_is_drawn_from_the_linked_span_end() -> None:
    publish = _span("publish", "root", 0, 20)
    process = _span("process", "publish", 60, 100, links=(("t", "publish"),))
    spans = [_span("root", None, 0, 100), publish, process]
    found = {("t", s.span_id): s for s in spans}
    bar = waterfall("t", spans, lambda t, s: found.get((t, s))).bars[-1]
    (link,) = bar.links
    assert (link.same_trace, link.span) == (True, publish)
    assert bar.link_from == (20.0,)


def test_a_link_into_another_trace_names_that_trace_and_is_not_drawn() -> None:
    recorded = _span("tx", None, trace="other")
    process = _span("process", None, links=(("other", "tx"),))
    bar = waterfall("t", [process], lambda t, s: recorded if (t, s) == ("other", "tx") else None)
    (link,) = bar.bars[0].links
    assert (link.trace_id, link.same_trace, link.span) == ("other", False, recorded)
    assert bar.bars[0].link_from == ()


def test_the_fleet_services_get_distinct_colors() -> None:
    assert len({service_color(name) for name in ("users", "tasks", "devices")}) == 3
