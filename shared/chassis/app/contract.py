"""The errors every route can answer, written into the OpenAPI once, as problem+json.

The chassis answers these for any route (see `chassis.errors`), so the chassis declares them:
422 where the route takes input, 400 where it takes a body (not parseable as sent), 401 and 403
where a token is required, and 503 with Retry-After on every route (a required dependency is
down). What only the service knows it declares on the route: its own errors, and the OpenAPI
links from an answer to the operations that take the resource it names (the stateful fuzzing
follows them: create, then read, change, act):

>>> @router.get("/{task_id}", responses=problems(404))
>>> OPENED = links(201, "GET /v1/tasks/{task_id}", "PATCH /v1/tasks/{task_id}", task_id="id")
>>> @router.post("", status_code=201, responses=problems(409) | OPENED)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from chassis.errors.problem import PROBLEM_JSON, Problem

_REF = "#/components/schemas/{model}"
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
_WHY = {
    400: "The body could not be parsed as sent, or a cursor is not one this API issued.",
    401: "No valid access token.",
    403: "The token's role or user may not do this.",
    404: "No such resource, or not one the caller may see.",
    409: "The resource is not in a state that allows this.",
    422: "The request is not valid: `errors` names each failing field.",
    429: "Too many attempts: wait for Retry-After seconds.",
    503: "A required dependency is down: try again after Retry-After seconds.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status answered as a problem document."""
    return {status: _problem(status) for status in statuses}


def links(status: int, /, *targets: str, **parameters: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route whose `status` answer names a resource: an OpenAPI link to each
    of `targets` ("METHOD /path", as in the OpenAPI), passing each `parameter=field` of the
    answer's body. Combine with `problems(...) | links(...)`."""
    values = {name: f"$response.body#/{field}" for name, field in parameters.items()}
    return {status: {"links": {_link_name(t): _link(t, values) for t in targets}}}


def document_problems(app: FastAPI, routes: Iterable[APIRoute]) -> None:
    """Make `app`'s OpenAPI declare the chassis's errors on each of `routes`."""
    operations = {(r.path_format, m.lower()) for r in routes for m in (r.methods or ())}
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for path, methods in document.get("paths", {}).items():
                for method, operation in methods.items():
                    if (path, method) in operations:
                        _declare_defaults(operation)
            _add_problem_schemas(document)
            _check_links(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _declare_defaults(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = [503]
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
        responses.pop("422", None)  # FastAPI's own validation error, a shape never sent
    names = {parameter.get("name") for parameter in operation.get("parameters", [])}
    if "requestBody" in operation or "cursor" in names:
        statuses.append(400)
    if operation.get("security"):
        statuses += [401, 403]
    for status in statuses:
        responses.setdefault(str(status), _problem(status))


def _problem(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _WHY.get(status, HTTPStatus(status).phrase),
        "content": {PROBLEM_JSON: {"schema": {"$ref": _REF.format(model="Problem")}}},
    }
    if status in (429, 503):
        response["headers"] = _RETRY_AFTER
    return response


def _link_name(target: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", target).strip("_")  # "GET_v1_tasks_task_id"


def _link(target: str, parameters: dict[str, str]) -> dict[str, Any]:
    method, path = target.split(" ", 1)
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method.lower()}", "parameters": parameters}


def _check_links(document: dict[str, Any]) -> None:
    # A link to an operation the app lacks (a typo, a moved route) fails here, not at fuzz time.
    paths = document.get("paths", {})
    for methods in paths.values():
        for operation in methods.values():
            for response in operation.get("responses", {}).values():
                for name, link in response.get("links", {}).items():
                    _, _, path, method = link["operationRef"].split("/")
                    if method not in paths.get(path.replace("~1", "/").replace("~0", "~"), {}):
                        raise ValueError(f"link {name}: the app has no such operation")


def _add_problem_schemas(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=_REF)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    if "/HTTPValidationError'" not in str(document.get("paths", {})):
        schemas.pop("HTTPValidationError", None)  # FastAPI's, now declared nowhere
        schemas.pop("ValidationError", None)
