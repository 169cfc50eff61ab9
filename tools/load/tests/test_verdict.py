import pytest

from load.report import summary
from load.verdict import StatsUnreadable, Targets, judge

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def stats_csv(*, failures: int = 0, p95: int = 120) -> str:
    """A locust stats CSV of 1000 requests: 600 task lists, 400 readings over MQTT."""
    return "\n".join(
        [
            HEADER,
            f"GET,/v1/tasks,600,{failures},40,52.1,8,900,2048.0,10.0,0.0,"
            f"40,50,60,70,90,{p95},200,300,800,900,900",
            "MQTT,fleet/devices/{id}/telemetry,400,0,3,3.5,1,40,80.0,6.7,0.0,"
            "3,3,4,4,5,8,12,20,40,40,40",
            f",Aggregated,1000,{failures},20,32.7,1,900,1260.8,16.7,0.0,"
            f"20,40,50,60,80,{p95},150,250,800,900,900",
            "",
        ]
    )


EXCEPTIONS_HEADER = "Count,Message,Traceback,Nodes\n"


def test_passes_within_the_error_rate_and_the_p95_target() -> None:
    verdict = judge(stats_csv(failures=10, p95=480), Targets(p95_ms=500, max_error_rate=0.01))

    assert verdict.passed
    assert verdict.problems == []


def test_fails_when_the_error_rate_is_over_the_maximum() -> None:
    verdict = judge(stats_csv(failures=11), Targets(p95_ms=500, max_error_rate=0.01))

    assert not verdict.passed
    assert verdict.problems == [
        "error rate 1.10% is over the 1.00% allowed (11 of 1000 requests failed)"
    ]


def test_fails_when_the_aggregate_p95_is_over_the_target() -> None:
    verdict = judge(stats_csv(p95=510), Targets(p95_ms=500))

    assert verdict.problems == ["p95 510 ms is over the 500 ms target"]


def test_fails_when_no_request_was_made() -> None:
    empty = (
        HEADER
        + "\n,Aggregated,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    )

    verdict = judge(empty, Targets())

    assert verdict.problems == ["no request was made: is the fleet up?"]
    assert verdict.total.p95_ms is None


def test_fails_when_the_load_test_itself_raised() -> None:
    exceptions = EXCEPTIONS_HEADER + "3,KeyError('id'),\"  File ...\",local\n"

    verdict = judge(stats_csv(), Targets(), exceptions)

    assert verdict.problems == ["the load test raised 3 exception(s), first: KeyError('id')"]


def test_reads_each_request_name_apart_from_the_aggregate() -> None:
    verdict = judge(stats_csv(failures=6), Targets())

    assert [(r.kind, r.name) for r in verdict.requests] == [
        ("GET", "/v1/tasks"),
        ("MQTT", "fleet/devices/{id}/telemetry"),
    ]
    tasks = verdict.requests[0]
    assert (tasks.requests, tasks.failures, tasks.error_rate) == (600, 6, 0.01)
    assert (tasks.median_ms, tasks.p95_ms, tasks.p99_ms, tasks.rps) == (40, 120, 300, 10.0)
    assert verdict.total.requests == 1000


def test_refuses_a_csv_without_the_aggregate_row() -> None:
    without_total = "\n".join(stats_csv().splitlines()[:3])

    with pytest.raises(StatsUnreadable, match="Aggregated"):
        judge(without_total, Targets())


def test_refuses_a_csv_that_is_not_locusts() -> None:
    with pytest.raises(StatsUnreadable, match="not a locust stats CSV"):
        judge("name,count\n/v1/tasks,3\n", Targets())


def test_the_summary_shows_every_request_name_and_the_outcome() -> None:
    targets = Targets(p95_ms=100)
    text = summary(judge(stats_csv(p95=120), targets), targets)

    lines = text.splitlines()
    assert lines[0].split() == [
        "type",
        "name",
        "requests",
        "failures",
        "median",
        "ms",
        "p95",
        "ms",
        "p99",
        "ms",
        "req/s",
    ]
    assert any(line.startswith("GET   /v1/tasks") for line in lines)
    assert any("Aggregated" in line and "1000" in line for line in lines)
    assert lines[-1] == "FAIL: p95 120 ms is over the 100 ms target"
