"""Exception handlers that turn every error into problem+json, and the catch-all middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from chassis.context import correlation_id
from chassis.db.failures import RETRY_AFTER_SECONDS, database_unavailable
from chassis.errors.domain import DomainError
from chassis.errors.problem import FieldError, Problem, ProblemError, problem_response, problem_type
from chassis.logging import tagged_logger

_log = tagged_logger("API")


def install_problem_handlers(app: FastAPI, errors: Mapping[type[Exception], int]) -> None:
    """Register handlers for HTTP errors, validation errors, ProblemError, every `DomainError`
    (its own status) and `errors` (other exceptions -> status: the chassis's own)."""

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if exc.detail != HTTPStatus(exc.status_code).phrase else None
        return _answer(
            request,
            Problem(title=_phrase(exc.status_code), status=exc.status_code, detail=detail),
            dict(exc.headers or {}),
        )

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = [
            FieldError(
                field=".".join(str(part) for part in error["loc"]),
                message=error["msg"],
                type=error["type"],
            )
            for error in exc.errors()
        ]
        names = ", ".join(f.field for f in fields)
        problem = Problem(
            type="urn:fleet:problem:validation",
            title="Request is not valid",
            status=422,
            detail=f"Invalid or missing: {names}",
            errors=fields,
        )
        return _answer(request, problem)

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        problem = Problem(type=exc.type, title=exc.title, status=exc.status, detail=exc.detail)
        return _answer(request, problem, exc.headers)

    def on_domain_error(mapped: int | None) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handle(request: Request, exc: Exception) -> Response:
            # `mapped` is None for a DomainError: it names its own status.
            status = mapped or (exc.status if isinstance(exc, DomainError) else 500)
            name = type(exc).__name__
            problem = Problem(
                type=problem_type(name),
                title=_phrase(status),
                status=status,
                detail=str(exc) or name,
            )
            headers = (
                {"Retry-After": str(retry)}
                if (retry := getattr(exc, "retry_after", None))
                else None
            )
            return _answer(request, problem, headers)

        return handle

    async def on_database_error(request: Request, exc: Exception) -> Response:
        if not database_unavailable(exc):
            raise exc  # a refused statement is a bug: the catch-all logs it and answers 500
        _log.warning("%s %s: the database is unavailable: %s", request.method,
                     request.url.path, _first_line(exc))  # fmt: skip
        problem = Problem(
            type="urn:fleet:problem:database-unavailable",
            title="Service Unavailable",
            status=503,
            detail="The service's database cannot be reached right now; try again shortly.",
        )
        return _answer(request, problem, {"Retry-After": str(RETRY_AFTER_SECONDS)})

    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ProblemError, on_problem)
    # The driver's errors and the pool's timeout: an outage answers 503, never 500.
    app.add_exception_handler(sa.exc.DBAPIError, on_database_error)
    app.add_exception_handler(sa.exc.TimeoutError, on_database_error)
    app.add_exception_handler(DomainError, on_domain_error(None))
    for error, status in errors.items():
        app.add_exception_handler(error, on_domain_error(status))


def _answer(request: Request, problem: Problem, headers: dict[str, str] | None = None) -> Response:
    problem.instance = request.url.path
    problem.correlation_id = correlation_id.get()
    # Expected errors: the access line records the status, and the adapter that failed (the HTTP
    # client, the bus) has logged why. Unexpected ones never get here (see the request context).
    _log.debug("%s %s: %s", request.method, request.url.path, problem.detail or problem.title)
    return problem_response(problem, headers)


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def answer_unhandled(scope: Scope, receive: Receive, send: Send) -> None:
    """Send the 500 problem for an exception that escaped the app (logged by the caller)."""
    problem = Problem(
        title="Internal Server Error",
        status=500,
        detail="An unexpected error occurred. Quote the correlation id to the operators.",
        instance=scope["path"],
        correlation_id=correlation_id.get(),
    )
    await problem_response(problem)(scope, receive, send)
