"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

Headers = Callable[..., dict[str, str]]
_PASSED = ("method", "url", "params", "headers", "json", "data")


def test_no_generated_request_makes_a_server_error(app: TestClient, as_user: Headers) -> None:
    schema = schemathesis.openapi.from_dict(app.app.openapi())  # type: ignore[attr-defined]
    auth = as_user("100", "operator")
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
                headers = {**(sent.get("headers") or {}), **auth}
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
