"""Schemathesis against the app's own OpenAPI: no input, valid or not, makes a server error,
and every client error is answered as problem+json."""

from __future__ import annotations

from typing import Any

import httpx
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from users.tests.integration.conftest import Accounts

_PASSED = ("method", "url", "params", "headers", "json", "data")


def test_no_generated_request_makes_a_server_error_or_a_bare_4xx(
    client: TestClient, accounts: Accounts
) -> None:
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    _, auth = accounts.bearer("admin")  # a real token from the service: routes past the 401
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the app's OpenAPI is invalid: {result}"
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=8,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                sent = case.as_transport_kwargs(base_url="http://testserver")
                kwargs = {k: v for k, v in sent.items() if k in _PASSED and k != "headers"}
                if isinstance(kwargs.get("data"), str | bytes):  # a raw body; a dict is a form
                    kwargs["content"] = kwargs.pop("data")
                headers = {**(sent.get("headers") or {}), **auth}
                try:
                    response = client.request(headers=headers, **kwargs)
                except (httpx.InvalidURL, UnicodeEncodeError):
                    return  # the client cannot even send it (non-ASCII header or URL)
                failure = _failure(response)
                if failure:
                    failures.append(f"{case.method} {case.formatted_path}: {failure}")

            try:
                call()
            except Unsatisfiable:  # nothing invalid to send to a route without inputs
                continue

    assert failures == []


def _failure(response: httpx.Response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code} {response.text}"
    media_type = response.headers.get("content-type", "").split(";")[0]
    if response.status_code >= 400 and media_type != "application/problem+json":
        return f"{response.status_code} as {media_type!r}: {response.text}"
    return None
