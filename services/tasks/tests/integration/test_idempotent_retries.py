"""Retried creates (devices retrying an alarm's task, concurrently) never make two tasks."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

Headers = Callable[..., dict[str, str]]


def test_concurrent_retries_with_one_key_make_one_task(app: TestClient, as_user: Headers) -> None:
    alarm = {"title": "Overheat", "source": "alarm", "device_id": "5", "alarm_id": "4242"}
    headers = {**as_user("devices", "service"), "Idempotency-Key": "4242"}

    with ThreadPoolExecutor(6) as pool:
        answers = list(
            pool.map(lambda _: app.post("/v1/tasks", json=alarm, headers=headers), range(6))
        )

    assert sorted(a.status_code for a in answers) == [200] * 5 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    listed = app.get("/v1/tasks", params={"device": "5"}, headers=as_user())
    assert len(listed.json()["items"]) == 1
