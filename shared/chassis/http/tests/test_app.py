"""A client inside a service: its breaker in /health/ready, its failures as problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from chassis.app import component, create_app
from chassis.config import ServiceSettings, service_config
from chassis.http import DownstreamClient
from chassis.http.tests.downstreams import fast_settings
from chassis.testing import FlakyServer


class _Settings(ServiceSettings):
    model_config = service_config("httpclienttest", __file__)


class _UsersClient(DownstreamClient):
    """How a service names its client of users (routes find components by type)."""


_Users = Annotated[_UsersClient, Depends(component(_UsersClient))]


def _app(server: FlakyServer, *, required: bool = True) -> FastAPI:
    users = _UsersClient(
        "users-api",
        fast_settings(server.url, max_attempts=1, breaker_fail_max=1, required=required),
    )
    router = APIRouter()

    @router.get("/v1/technicians/{user_id}")
    async def technician(user_id: int, users: _Users) -> dict[str, object]:
        response = await users.get("/v1/users/{id}", id=user_id)
        return {"user": response.json()}

    return create_app(_Settings(name="tasks"), routers=[router], components=[users])


@pytest.fixture
def down_users(flaky_server: FlakyServer) -> Iterator[TestClient]:
    """A service whose users downstream has stopped answering."""
    flaky_server.stop()
    with TestClient(_app(flaky_server)) as client:
        yield client


def test_route_answers_with_the_downstreams_data_when_it_is_up(flaky_server: FlakyServer) -> None:
    flaky_server.answer(body={"id": "7"})
    with TestClient(_app(flaky_server)) as client:
        response = client.get("/v1/technicians/7")

    assert response.json() == {"user": {"id": "7"}}
    assert flaky_server.requests[0].target == "/v1/users/7"


def test_route_calling_a_down_downstream_answers_503_problem_with_retry_after(
    down_users: TestClient,
) -> None:
    down_users.get("/v1/technicians/7")  # trips the breaker (fail_max=1)

    response = down_users.get("/v1/technicians/7")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert 29 <= int(response.headers["retry-after"]) <= 30
    problem = response.json()
    assert problem["type"] == "urn:fleet:problem:downstream-unavailable"
    assert "circuit breaker open" in problem["detail"]


def test_ready_answers_503_while_a_required_downstreams_breaker_is_open(
    down_users: TestClient,
) -> None:
    assert down_users.get("/health/ready").status_code == 200
    down_users.get("/v1/technicians/7")

    response = down_users.get("/health/ready")

    assert response.status_code == 503
    users = response.json()["dependencies"]["users-api"]
    assert users["status"] == "down"
    assert users["info"]["breaker"] == "open"
    assert "ConnectError" in users["detail"]


def test_ready_stays_200_when_an_optional_downstreams_breaker_is_open(
    flaky_server: FlakyServer,
) -> None:
    flaky_server.stop()
    with TestClient(_app(flaky_server, required=False)) as client:
        client.get("/v1/technicians/7")
        response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["dependencies"]["users-api"]["status"] == "down"


def test_unhandled_downstream_client_error_answers_502_problem(flaky_server: FlakyServer) -> None:
    flaky_server.fail(404)
    with TestClient(_app(flaky_server)) as client:
        response = client.get("/v1/technicians/7")

    assert response.status_code == 502
    assert response.json()["type"] == "urn:fleet:problem:downstream-error"
    assert "retry-after" not in response.headers
