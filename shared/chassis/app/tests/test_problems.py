"""Every error a service answers is RFC 9457 problem+json, with no internals leaked."""

import logging

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings, build
from chassis.errors import ProblemError

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> TestClient:
    settings = GreeterSettings()
    app = build(settings)
    return TestClient(app, raise_server_exceptions=False)


def test_domain_error_answers_the_status_it_declares(client: TestClient) -> None:
    response = client.get("/v1/greetings/nobody")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:fleet:problem:nobody-to-greet"
    assert body["title"] == "Not Found"
    assert body["detail"] == "there is nobody to greet"
    assert body["correlation_id"] == response.headers["x-request-id"]


def test_validation_error_names_every_failing_field(client: TestClient) -> None:
    response = client.get("/v1/greetings/ada", params={"delay": "soon"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert [e["field"] for e in body["errors"]] == ["query.delay"]
    assert body["detail"] == "Invalid or missing: query.delay"


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_wrong_method_is_a_405_problem(client: TestClient) -> None:
    response = client.delete("/v1/greetings/ada")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_problem_error_answers_status_and_headers() -> None:
    router = APIRouter()

    @router.get("/busy")
    async def busy() -> None:
        raise ProblemError(503, detail="try later", headers={"Retry-After": "3"})

    client = TestClient(create_app(GreeterSettings(), routers=[router]))
    response = client.get("/busy")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert response.json()["detail"] == "try later"


def test_unhandled_error_is_a_500_problem_logged_once_with_its_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = APIRouter()

    @router.get("/crash")
    async def crash() -> None:
        raise RuntimeError("secret internals")

    client = TestClient(
        create_app(GreeterSettings(), routers=[router]), raise_server_exceptions=False
    )
    with caplog.at_level(logging.ERROR):
        response = client.get("/crash", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "secret internals" not in response.text
    assert response.json()["correlation_id"] == "req-42"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert getattr(errors[0], "correlation_id", None) == "req-42"
