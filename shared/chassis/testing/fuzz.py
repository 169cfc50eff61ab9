"""Schemathesis over a service's own OpenAPI: every generated request, valid or not, answered
without a server error, and every client error as problem+json (`./pants test` of each service).

>>> assert misanswered(client, {"Authorization": f"Bearer {token}"}) == []
"""

from __future__ import annotations

from typing import Any

import httpx
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

_PASSED = ("method", "url", "params", "json", "data")


def misanswered(client: TestClient, auth: dict[str, str], examples: int = 10) -> list[str]:
    """`METHOD /path: what came back` for each request answered with a 5xx or a bare 4xx;
    `auth` (a real token's header) takes the requests past the 401."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the app's OpenAPI is invalid: {result}"
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                sent = case.as_transport_kwargs(base_url="http://testserver")
                kwargs = {k: v for k, v in sent.items() if k in _PASSED}
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
    return failures


def _failure(response: httpx.Response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code} {response.text}"
    media_type = response.headers.get("content-type", "").split(";")[0]
    if response.status_code >= 400 and media_type != "application/problem+json":
        return f"{response.status_code} as {media_type!r}: {response.text}"
    return None
