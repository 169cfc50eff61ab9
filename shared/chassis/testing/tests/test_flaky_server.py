"""The FlakyServer test helper: scripted faults over a real socket, restartable on its port."""

import httpx
import pytest

from chassis.local import wait_for_port
from chassis.testing import FlakyServer


def test_answers_scripted_failures_then_the_default(flaky_server: FlakyServer) -> None:
    flaky_server.fail(503, times=2, retry_after=3)

    statuses = [httpx.get(flaky_server.url + "/x").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert [r.method for r in flaky_server.requests] == ["GET"] * 3


def test_records_what_each_request_carried(flaky_server: FlakyServer) -> None:
    httpx.post(flaky_server.url + "/v1/tasks?a=1", json={"t": 1}, headers={"X-Request-ID": "r1"})

    (request,) = flaky_server.requests
    assert (request.method, request.target, request.body) == ("POST", "/v1/tasks?a=1", b'{"t":1}')
    assert request.headers["x-request-id"] == "r1"


def test_stall_holds_the_answer(flaky_server: FlakyServer) -> None:
    flaky_server.stall(1.0)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(flaky_server.url, timeout=0.2)


def test_stops_and_starts_again_on_the_same_port(flaky_server: FlakyServer) -> None:
    port = flaky_server.port
    flaky_server.stop()
    assert not wait_for_port("127.0.0.1", port, timeout=0.3)

    flaky_server.start()

    assert flaky_server.port == port
    assert httpx.get(flaky_server.url).status_code == 200
