"""What goes out with every call (path, headers) and what a failed answer turns into."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import httpx

from chassis.context import correlation_id, new_correlation_id
from chassis.http.errors import DownstreamError, DownstreamUnavailable
from chassis.http.retry import IDEMPOTENCY_KEY, RetryableStatus, whole_seconds

PathParam = str | int


def expand_path(path: str, params: Mapping[str, PathParam]) -> str:
    """`/v1/users/{id}` with id="a/b" -> `/v1/users/a%2Fb`."""
    # Quoted so a value can never add path segments ("../admin") or a query string.
    return path.format_map({k: quote(str(v), safe="") for k, v in params.items()})


def outgoing_headers(
    extra: Mapping[str, str] | None, token: str | None, idempotency_key: str | None
) -> httpx.Headers:
    """The caller's headers plus X-Request-ID, Authorization and Idempotency-Key."""
    headers = httpx.Headers(extra)
    # One id per call, kept across its retries, so the downstream's log lines join ours.
    headers.setdefault("X-Request-ID", correlation_id.get() or new_correlation_id())
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if idempotency_key:
        headers[IDEMPOTENCY_KEY] = idempotency_key
    return headers


def answered(downstream: str, response: httpx.Response, retry_after: int = 0) -> DownstreamError:
    """The error for a final error answer: Unavailable for 502/503/504/429, else DownstreamError.

    `retry_after`: a lower bound for the Retry-After hint (the open breaker's remaining time)."""
    status = response.status_code
    detail = f"{response.request.method} {response.request.url.path} answered {status}"
    if status in (429, 502, 503, 504):
        hinted = RetryableStatus(response).retry_after
        retry_after = max(retry_after, whole_seconds(hinted) or 0)
        return DownstreamUnavailable(
            downstream, detail, retry_after=retry_after or None, status=status, response=response
        )
    return DownstreamError(downstream, detail, status=status, response=response)


def outcome_of(exc: DownstreamError) -> str:
    """The `outcome` label of fleet_http_client_requests for a failed call."""
    if exc.status is None:
        return "rejected" if isinstance(exc, DownstreamUnavailable) else "error"
    if exc.status == 429 or exc.status >= 500:
        return "unavailable" if isinstance(exc, DownstreamUnavailable) else "server_error"
    return "client_error"
