"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from devices.main import build
from devices.tests.integration.conftest import SettingsFactory

_PASSED = ("method", "url", "params", "headers", "json", "data")


@pytest.fixture
def app(make_settings: SettingsFactory) -> Iterator[TestClient]:
    with TestClient(build(make_settings()), raise_server_exceptions=False) as client:
        yield client


def test_no_generated_request_makes_a_server_error(
    app: TestClient, operator_headers: dict[str, str]
) -> None:
    registered = app.post(
        "/v1/devices",
        json={"name": "pump", "kind": "pump", "site": "north"},
        headers=operator_headers,
    )
    assert registered.status_code == 201, registered.text
    schema = schemathesis.openapi.from_dict(app.app.openapi())  # type: ignore[attr-defined]
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the app's OpenAPI is invalid: {result}"
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=15,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                sent = case.as_transport_kwargs(base_url="http://testserver")
                headers = {**(sent.get("headers") or {}), **operator_headers}
                kwargs = {k: v for k, v in sent.items() if k in _PASSED and k != "headers"}
                if "data" in kwargs:
                    kwargs["content"] = kwargs.pop("data")
                response = app.request(headers=headers, **kwargs)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {response.text}")

            try:
                call()
            except Unsatisfiable:  # nothing invalid to send to a route without inputs
                continue

    assert failures == []
