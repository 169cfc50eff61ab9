"""Retried creates (devices retrying an alarm's task, a client retrying a lost answer, many at
once) never make two tasks, and every retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient

Headers = Callable[..., dict[str, str]]


def fifty(app: TestClient, body: dict[str, str], headers: dict[str, str]) -> list[httpx.Response]:
    with ThreadPoolExecutor(50) as pool:
        return list(
            pool.map(lambda _: app.post("/v1/tasks", json=body, headers=headers), range(50))
        )


def test_fifty_identical_requests_at_once_open_one_task_and_get_one_answer(
    app: TestClient, as_user: Headers
) -> None:
    body = {"title": "Inspect pump 5", "device_id": "5"}
    headers = {**as_user("100", "technician"), "Idempotency-Key": "inspect-5"}

    answers = fifty(app, body, headers)

    assert sorted(a.status_code for a in answers) == [200] * 49 + [201]
    assert len({a.content for a in answers}) == 1
    listed = app.get("/v1/tasks", params={"device": "5"}, headers=as_user())
    assert len(listed.json()["items"]) == 1


def test_concurrent_retries_of_an_alarm_make_one_task(app: TestClient, as_user: Headers) -> None:
    alarm = {"title": "Overheat", "source": "alarm", "device_id": "6", "alarm_id": "4242"}
    headers = {**as_user("devices", "service"), "Idempotency-Key": "4242"}

    answers = fifty(app, alarm, headers)

    assert {a.status_code for a in answers} <= {200, 201}
    assert len({a.json()["id"] for a in answers}) == 1
    listed = app.get("/v1/tasks", params={"device": "6"}, headers=as_user())
    assert len(listed.json()["items"]) == 1


def test_another_callers_same_key_opens_their_own_task(app: TestClient, as_user: Headers) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = app.post("/v1/tasks", json={"title": "Fix"}, headers={**as_user("100"), **key})
    theirs = app.post("/v1/tasks", json={"title": "Oil"}, headers={**as_user("101"), **key})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["title"] == "Oil"
    assert theirs.json()["id"] != mine.json()["id"]
