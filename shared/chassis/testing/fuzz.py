"""Schemathesis over a service's own OpenAPI, served for real: every check on, valid and invalid
data for each operation, then the stateful phase along the OpenAPI links: those the app declares
(`chassis.app.links`: create, then read, change, act), then with those schemathesis infers too.

>>> assert misanswered(client, auth) == []  # no 5xx, every client error as problem+json
>>> with served(build(settings)) as base_url:
...     assert contract_breaches(base_url, {"Authorization": f"Bearer {token}"}) == []

The app runs under uvicorn on a free loopback port with its lifespan, as in production, so the
checks that send requests of their own (auth removed, unsupported methods) reach it too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
import schemathesis
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import FlakyStrategyDefinition, Unsatisfiable
from schemathesis import BaseSchema, GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.errors import FailureGroup
from starlette.types import ASGIApp

from chassis.local import free_port

_PASSED = ("method", "url", "params", "json", "data")
_DECLARED_LINKS_ONLY: dict[str, Any] = {"phases": {"stateful": {"inference": {"algorithms": []}}}}


@contextmanager
def served(app: ASGIApp) -> Iterator[str]:
    """Serve `app` (lifespan included) on 127.0.0.1 for the block; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_config=None)
    )
    thread = threading.Thread(target=server.run, name="fuzzed-app", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the app did not start: see its log above")
            thread.join(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def contract_breaches(
    base_url: str,
    auth: dict[str, str],
    *,
    examples: int = 10,
    steps: int = 25,
    waived: Mapping[str, Sequence[CheckFunction]] | None = None,
) -> list[str]:
    """Each way the app broke its own OpenAPI, as `METHOD /path: what check failed`: every
    schemathesis check, on `examples` valid and `examples` invalid requests per operation, then
    `steps` stateful scenarios over the links it declares, and `steps` more with those
    schemathesis infers. `auth` (a real token's header) gets requests past the 401; the checks
    that remove it prove it is required. `waived` skips checks on single operations
    (`{"POST /v1/things": [check]}`): for rules JSON Schema cannot state; say why."""
    openapi = f"{base_url}/openapi.json"
    schema = schemathesis.openapi.from_url(openapi)
    skipped: Mapping[str, Sequence[CheckFunction]] = waived or {}
    breaches: dict[str, None] = {}  # ordered, without repeats

    def record(group: FailureGroup) -> None:
        for failure in group.exceptions:
            message = " ".join(failure.message.split())
            breaches[f"{failure.operation}: {failure.title}: {message}"] = None

    hypothesis_settings = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the app's OpenAPI is invalid: {result}"
        operation = result.ok()
        excluded = list(skipped.get(operation.label, ()))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings
            def call(case: Any) -> None:
                try:
                    # Run at once, below: `excluded` is still this operation's.
                    case.call_and_validate(headers=auth, excluded_checks=excluded)  # noqa: B023
                except FailureGroup as group:
                    record(group)

            try:
                call()
            except Unsatisfiable:  # nothing invalid to send to a route without inputs
                continue

    # Schemathesis starts scenarios only where it expects success, and its inferred links can
    # crowd out the app's own creators (a task's body names a device no tasks operation makes):
    # the declared links get a run of their own, before the one with the inferred links too.
    declared = SchemathesisConfig.from_dict(_DECLARED_LINKS_ONLY)
    for linked in (schemathesis.openapi.from_url(openapi, config=declared), schema):
        _run_scenarios(linked, auth, skipped, record, steps)
    return list(breaches)


def _run_scenarios(
    schema: BaseSchema,
    auth: dict[str, str],
    skipped: Mapping[str, Sequence[CheckFunction]],
    record: Callable[[FailureGroup], None],
    steps: int,
) -> None:
    ran = 0

    class Scenarios(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            nonlocal ran
            ran += 1

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": auth}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            try:
                case.validate_response(
                    response,
                    excluded_checks=list(skipped.get(case.operation.label, ())),
                    transport_kwargs=kwargs or None,
                    recorder=self.recorder,
                )
            except FailureGroup as group:
                record(group)

    while ran < steps:
        try:
            Scenarios.run(
                settings=settings(
                    max_examples=steps - ran,
                    stateful_step_count=6,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
            )
            return
        except FlakyStrategyDefinition:
            # Hypothesis replayed steps the API now answers otherwise (that username is taken,
            # that Idempotency-Key replays its first answer): no breach, so go on with the rest.
            continue


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
