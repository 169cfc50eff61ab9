"""The problem document, the exception that carries one, and its response."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    """One failing field of a request."""

    field: str = Field(description="Where: body.title, query.limit, header.idempotency-key...")
    message: str
    type: str = Field(description="A machine-readable error kind, e.g. missing, string_too_short.")


class Problem(BaseModel):
    """RFC 9457 problem details, plus the correlation id to quote to operators."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    correlation_id: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise to answer a problem: `raise ProblemError(409, "Username taken", "...")`."""

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        *,
        type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.type = type or "about:blank"
        self.headers = headers or {}


def problem_type(name: str) -> str:
    """A stable type URI from an error's name: TaskNotFound -> urn:fleet:problem:task-not-found."""
    return "urn:fleet:problem:" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def problem_response(
    problem: Problem, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = problem.model_dump(exclude_none=True) | extra
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)
