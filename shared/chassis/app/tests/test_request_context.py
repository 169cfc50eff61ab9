"""Correlation ids, metrics by route template, and quiet operational routes."""

import pytest
from fastapi.testclient import TestClient

from chassis.app.tests.example_service import GreeterSettings, build
from chassis.config import HttpServerSettings
from chassis.metrics import fleet_metrics


@pytest.fixture
def client() -> TestClient:
    return TestClient(build(GreeterSettings()))


def test_request_id_is_echoed_when_the_caller_sends_one(client: TestClient) -> None:
    response = client.get("/v1/greetings/ada", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_request_id_is_generated_when_missing(client: TestClient) -> None:
    first = client.get("/v1/greetings/ada").headers["x-request-id"]
    second = client.get("/v1/greetings/ada").headers["x-request-id"]
    assert len(first) == 32
    assert first != second


def test_a_request_id_unsafe_for_logs_is_replaced(client: TestClient) -> None:
    response = client.get("/v1/greetings/ada", headers={"X-Request-ID": "evil\tid=admin"})
    assert response.headers["x-request-id"] != "evil\tid=admin"
    assert len(response.headers["x-request-id"]) == 32


def _count(route: str, status: str) -> float:
    child = fleet_metrics().requests.labels(route, "GET", status)
    return float(child._value.get())


def test_requests_are_counted_by_route_template_not_raw_path(client: TestClient) -> None:
    before = _count("/v1/greetings/{who}", "200")
    client.get("/v1/greetings/ada")
    client.get("/v1/greetings/bob")
    assert _count("/v1/greetings/{who}", "200") == before + 2


def test_health_probes_are_not_counted(client: TestClient) -> None:
    before = _count("/health/live", "200")
    client.get("/health/live")
    assert _count("/health/live", "200") == before


@pytest.mark.parametrize("path", ["/health/live", "/greeter/health/live"])
def test_behind_a_proxy_health_probes_are_not_counted(path: str) -> None:
    # The proxy serves the service under /greeter, and strips the prefix or keeps it.
    proxied = TestClient(build(GreeterSettings(http=HttpServerSettings(root_path="/greeter"))))
    before = _count("/health/live", "200")
    assert proxied.get(path).status_code == 200
    assert _count("/health/live", "200") == before


def test_metrics_endpoint_serves_prometheus_text(client: TestClient) -> None:
    client.get("/v1/greetings/ada")
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert (
        'fleet_http_requests_total{method="GET",route="/v1/greetings/{who}",status="200"}'
        in response.text
    )


def test_operation_ids_are_the_handler_names(client: TestClient) -> None:
    operations = {
        op["operationId"]
        for path in client.app.openapi()["paths"].values()  # type: ignore[attr-defined]
        for op in path.values()
    }
    assert operations == {"greet", "health_live", "health_ready"}
