"""Assigning asks users (a real local stand-in server) about the assignee, and degrades alone."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from chassis.testing import FlakyServer

Headers = Callable[..., dict[str, str]]


def _task(app: TestClient, headers: dict[str, str]) -> str:
    return str(app.post("/v1/tasks", json={"title": "Fix"}, headers=headers).json()["id"])


def _assign(app: TestClient, headers: dict[str, str], task_id: str, assignee: str) -> int:
    response = app.post(
        f"/v1/tasks/{task_id}/assign", json={"assignee_id": assignee}, headers=headers
    )
    return int(response.status_code)


def test_assigning_an_active_technician_records_it(app: TestClient, as_user: Headers) -> None:
    task_id = _task(app, as_user())

    response = app.post(f"/v1/tasks/{task_id}/assign", json={"assignee_id": "7"}, headers=as_user())

    assert response.status_code == 200
    assert response.json()["assignee_id"] == "7"


def test_users_is_asked_with_the_callers_token(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    headers = as_user()
    _assign(app, headers, _task(app, headers), "7")

    [asked] = users.requests
    assert asked.target == "/v1/users/7"
    assert asked.headers["authorization"] == headers["Authorization"]


def test_the_same_assignee_is_asked_about_once_within_the_cache_ttl(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    _assign(app, as_user(), _task(app, as_user()), "7")
    _assign(app, as_user(), _task(app, as_user()), "7")

    assert len(users.requests) == 1


def test_an_unknown_assignee_is_refused_with_422(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    users.fail(404)

    assert _assign(app, as_user(), _task(app, as_user()), "8") == 422


def test_an_inactive_assignee_is_refused_with_422(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    users.answer(200, {"id": "9", "role": "technician", "active": False})

    assert _assign(app, as_user(), _task(app, as_user()), "9") == 422


def test_an_admin_takes_no_tasks(app: TestClient, as_user: Headers, users: FlakyServer) -> None:
    users.answer(200, {"id": "9", "role": "admin", "active": True})

    assert _assign(app, as_user(), _task(app, as_user()), "9") == 422


def test_technicians_may_not_assign(app: TestClient, as_user: Headers) -> None:
    task_id = _task(app, as_user("201", "technician"))

    assert _assign(app, as_user("201", "technician"), task_id, "7") == 403


def test_users_down_answers_503_with_retry_after(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    task_id = _task(app, as_user())
    users.stop()

    response = app.post(f"/v1/tasks/{task_id}/assign", json={"assignee_id": "7"}, headers=as_user())

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1


def test_a_slow_users_answers_503(app: TestClient, as_user: Headers, users: FlakyServer) -> None:
    task_id = _task(app, as_user())
    users.stall(1.5, times=5)  # beyond the read timeout, on every attempt

    assert _assign(app, as_user(), task_id, "7") == 503


def test_while_users_is_down_tasks_are_still_created_listed_and_moved(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    users.stop()
    for assignee in ("11", "12", "13"):
        _assign(app, as_user(), _task(app, as_user()), assignee)  # opens the breaker

    created = app.post("/v1/tasks", json={"title": "Still"}, headers=as_user())
    listed = app.get("/v1/tasks", headers=as_user())
    moved = app.post(
        f"/v1/tasks/{created.json()['id']}/transitions",
        json={"to": "in_progress"},
        headers=as_user(),
    )

    assert (created.status_code, listed.status_code, moved.status_code) == (201, 200, 200)


def test_an_open_breaker_fails_fast_without_calling_users(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    task_id = _task(app, as_user())
    users.fail(503, times=100)
    for assignee in ("21", "22"):
        _assign(app, as_user(), task_id, assignee)
    calls = len(users.requests)

    started = time.perf_counter()
    status = _assign(app, as_user(), task_id, "23")

    assert status == 503
    assert len(users.requests) == calls
    assert time.perf_counter() - started < 0.2


def test_assigning_heals_once_users_is_back_without_a_restart(
    app: TestClient, as_user: Headers, users: FlakyServer
) -> None:
    task_id = _task(app, as_user())
    users.stop()
    for assignee in ("31", "32"):
        assert _assign(app, as_user(), task_id, assignee) == 503
    users.start()  # same port

    time.sleep(0.6)  # the breaker's reset timeout: the next call is a probe

    assert _assign(app, as_user(), task_id, "33") == 200
    assert app.get("/health/ready").json()["dependencies"]["users-api"]["info"]["breaker"] == (
        "closed"
    )
