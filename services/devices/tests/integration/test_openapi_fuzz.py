"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error,
and every client error is answered as problem+json."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from chassis.testing.fuzz import misanswered
from devices.main import build
from devices.tests.integration.conftest import SettingsFactory


@pytest.fixture
def app(make_settings: SettingsFactory) -> Iterator[TestClient]:
    with TestClient(build(make_settings()), raise_server_exceptions=False) as client:
        yield client


def test_no_generated_request_makes_a_server_error_or_a_bare_4xx(
    app: TestClient, operator_headers: dict[str, str]
) -> None:
    device = {"name": "pump", "kind": "pump", "site": "north"}  # so some ids exist
    assert app.post("/v1/devices", json=device, headers=operator_headers).status_code == 201
    assert misanswered(app, operator_headers, examples=15) == []
