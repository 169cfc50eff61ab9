"""From the services' JSON to the page's rows: up, ready, breakers, rates, and every way to fail."""

from typing import Any

from fleet_monitor.views import Probe, dependency_rows, fleet_rates, service_row


def _readiness(status: str = "ready", **deps: dict[str, Any]) -> dict[str, Any]:
    return {"status": status, "dependencies": deps}


def _snapshot(readiness: dict[str, Any], requests: float = 2.5) -> dict[str, Any]:
    return {
        "service": "tasks",
        "environment": "dev",
        "readiness": readiness,
        "rates": {"requests": requests, "mqtt_in": 1.0, "mqtt_out": 0.5},
        "outbox_backlog": 3.0,
        "log_lines": ["a line"],
    }


USERS_CLIENT_OPEN = {
    "status": "down",
    "required": True,
    "detail": "breaker open",
    "info": {"breaker": "open"},
}
DATABASE_UP = {"status": "up", "required": True, "detail": None, "info": {}}


def test_a_service_that_answers_ready_is_up_and_ready_with_its_rates() -> None:
    ready = _readiness(database=DATABASE_UP)
    row = service_row(Probe("tasks", "http://t", 200, ready, _snapshot(ready)))
    assert (row.health, row.readiness, row.environment) == ("up", "ready", "dev")
    assert row.rates["requests"] == 2.5
    assert row.rates["dead_lettered"] == 0.0  # a rate the service did not report reads as zero
    assert row.outbox_backlog == 3.0


def test_a_503_with_an_open_breaker_is_up_but_not_ready_and_names_the_dependency() -> None:
    ready = _readiness("not_ready", database=DATABASE_UP, users=USERS_CLIENT_OPEN)
    row = service_row(Probe("tasks", "http://t", 503, ready, _snapshot(ready)))
    assert (row.health, row.readiness) == ("up", "not ready")
    assert row.detail == "required down: users"


def test_breaker_states_come_from_each_dependency_info() -> None:
    ready = _readiness("not_ready", database=DATABASE_UP, users=USERS_CLIENT_OPEN)
    rows = dependency_rows(Probe("tasks", "http://t", 503, ready, None))
    assert [(r.dependency, r.state, r.breaker) for r in rows] == [
        ("database", "up", ""),
        ("users", "down", "open"),
    ]


def test_an_unreachable_service_is_down_with_the_reason() -> None:
    row = service_row(Probe("users", "http://u", error="connection refused"))
    assert (row.health, row.readiness, row.detail) == ("down", "unknown", "connection refused")
    assert dependency_rows(Probe("users", "http://u", error="timed out")) == []


def test_an_answer_that_is_not_the_chassis_json_reads_as_down() -> None:
    row = service_row(Probe("users", "http://u", 502, None, None))
    assert (row.health, row.readiness, row.detail) == ("down", "unknown", "HTTP 502")


def test_readiness_falls_back_to_the_snapshot_when_ready_is_unreadable() -> None:
    ready = _readiness(database=DATABASE_UP)
    probe = Probe("tasks", "http://t", 200, {"unexpected": True}, _snapshot(ready))
    assert service_row(probe).readiness == "ready"
    assert [r.dependency for r in dependency_rows(probe)] == ["database"]


def test_a_service_without_snapshot_still_shows_readiness_without_rates() -> None:
    row = service_row(Probe("users", "http://u", 200, _readiness(), None))
    assert (row.health, row.readiness, row.rates) == ("up", "ready", {})


def test_fleet_rates_sum_the_services_that_answered() -> None:
    ready = _readiness()
    rows = [
        service_row(Probe("a", "http://a", 200, ready, _snapshot(ready, requests=1.0))),
        service_row(Probe("b", "http://b", 200, ready, _snapshot(ready, requests=2.0))),
        service_row(Probe("c", "http://c", error="timed out")),
    ]
    rates = fleet_rates(rows)
    assert rates["requests"] == 3.0
    assert rates["mqtt_in"] == 2.0
