"""The client a service uses to call another: one per downstream, a chassis Component."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode
from tenacity import RetryCallState

from chassis.http.breaker import Breaker, describe
from chassis.http.errors import DownstreamError, DownstreamUnavailable
from chassis.http.outgoing import PathParam, answered, expand_path, outcome_of, outgoing_headers
from chassis.http.retry import TRANSIENT_ERRORS, RetryableStatus, may_retry, retrying
from chassis.http.settings import DownstreamSettings
from chassis.http.tokens import ServiceAccountToken
from chassis.lifecycle import Component, Health
from chassis.logging import tagged_logger
from chassis.metrics import fleet_metrics
from chassis.tls import client_tls
from chassis.tracing import inject_traceparent, tracer

_log = tagged_logger("HTTP")

TokenProvider = Callable[[], Awaitable[str | None]]
"""Returns the bearer token for service-to-service calls (e.g. a cached client-credentials one)."""


class DownstreamClient(Component):
    """Calls one downstream service with timeouts, retries, a circuit breaker and a deadline.

    Every call carries the current correlation id as X-Request-ID and a bearer token (the
    caller's, passed as `token=`, else the `token_provider`'s: a ServiceAccountToken is dropped
    and fetched anew once when the call answers 401). 2xx/3xx answers are returned; others raise
    DownstreamError (DownstreamUnavailable when retrying later may help).
    """

    def __init__(
        self,
        name: str,
        settings: DownstreamSettings,
        *,
        token_provider: TokenProvider | None = None,
    ) -> None:
        self.name = name
        self.required = settings.required
        self.settings = settings
        self.breaker = Breaker(
            name, fail_max=settings.breaker_fail_max, reset_timeout=settings.breaker_reset_timeout
        )
        self._token_provider = token_provider
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
        self._client = httpx.AsyncClient(
            base_url=str(self.settings.base_url), timeout=timeout, verify=client_tls()
        )
        self.breaker.publish()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def health(self) -> Health:
        info = {"breaker": self.breaker.state, "base_url": str(self.settings.base_url)}
        if self._client is None:
            return Health.down("not started", **info)
        if info["breaker"] == "open":
            detail = f"circuit breaker open (last failure: {self.breaker.last_failure})"
            return Health.down(detail, retry_after=self.breaker.retry_after(), **info)
        return Health.up(**info)

    async def get(
        self,
        path: str,
        /,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        **path_params: PathParam,
    ) -> httpx.Response:
        """`await users.get("/v1/users/{id}", id=user_id)`; path params are URL-quoted."""
        return await self._call(
            "GET", path, path_params, params=params, headers=headers, token=token
        )

    async def post(
        self,
        path: str,
        /,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        **path_params: PathParam,
    ) -> httpx.Response:
        """Retried only with an `idempotency_key` (the downstream then applies it once).

        The body is `json`, or `data` sent as a form (an OAuth2 token request, for one)."""
        return await self._call(
            "POST",
            path,
            path_params,
            json=json,
            data=data,
            key=idempotency_key,
            headers=headers,
            token=token,
        )

    async def request(
        self,
        method: str,
        path: str,
        /,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
        **path_params: PathParam,
    ) -> httpx.Response:
        """Any method: PUT, PATCH, DELETE, HEAD, OPTIONS as well as GET and POST."""
        return await self._call(
            method,
            path,
            path_params,
            params=params,
            json=json,
            data=data,
            key=idempotency_key,
            headers=headers,
            token=token,
        )

    async def _call(
        self,
        method: str,
        path: str,
        path_params: Mapping[str, PathParam],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        client, provider = self._client, self._token_provider
        if client is None:
            raise RuntimeError(f"{self.name} is not started; register it with create_app")
        method, url = method.upper(), expand_path(path, path_params)

        async def send(token: str | None) -> httpx.Response:
            sent = outgoing_headers(headers, token, key)
            request = client.build_request(
                method, url, params=params, json=json, data=data, headers=sent
            )
            return await self._send(client, request, method, path)

        if token is not None or provider is None:
            return await send(token)
        token = await provider()
        try:
            return await send(token)
        except DownstreamError as exc:
            # Revoked or expired early: the service account's next token is one fetch away.
            if exc.status != 401 or not isinstance(provider, ServiceAccountToken):
                raise
            provider.forget(token)
            return await send(await provider())

    async def _send(
        self, client: httpx.AsyncClient, request: httpx.Request, method: str, path: str
    ) -> httpx.Response:
        # One client span per call, retries and a refusing breaker as its events; every attempt
        # carries it as the downstream's parent.
        with tracer().start_as_current_span(
            f"{method} {path}",
            kind=SpanKind.CLIENT,
            attributes={
                "http.request.method": method,
                "url.template": path,
                "server.address": request.url.host,
                "peer.service": self.name,
            },
        ):
            inject_traceparent(request.headers)
            return await self._send_traced(client, request, method, path)

    async def _send_traced(
        self, client: httpx.AsyncClient, request: httpx.Request, method: str, path: str
    ) -> httpx.Response:
        deadline = time.monotonic() + self.settings.deadline
        try:
            async for attempt in retrying(
                self.settings,
                repeatable=may_retry(method, request.headers),
                before_sleep=lambda state: self._log_retry(method, path, state),
            ):
                with attempt:
                    response = await self._attempt(client, request, deadline)
        except RetryableStatus as exc:
            busy = answered(self.name, exc.response, self.breaker.retry_after())
            raise self._failed(method, path, busy) from exc
        except TRANSIENT_ERRORS as exc:
            unreachable = DownstreamUnavailable(
                self.name,
                f"{method} {path}: {describe(exc)}",
                retry_after=self.breaker.retry_after() or None,  # set when this call tripped it
            )
            raise self._failed(method, path, unreachable) from exc
        except httpx.HTTPError as exc:
            broken = DownstreamError(self.name, f"{method} {path}: {describe(exc)}")
            raise self._failed(method, path, broken) from exc
        except DownstreamError as exc:  # a 4xx/500 answer, or the breaker refused the call
            self._failed(method, path, exc)
            raise
        self._count(method, "ok")
        return response

    async def _attempt(
        self, client: httpx.AsyncClient, request: httpx.Request, deadline: float
    ) -> httpx.Response:
        with self.breaker.attempt():
            # httpx's read timeout is per chunk; the call's deadline bounds the whole attempt.
            async with asyncio.timeout(deadline - time.monotonic()):
                response = await client.send(request)
            trace.get_current_span().set_attribute(
                "http.response.status_code", response.status_code
            )
            if response.status_code in (502, 503, 504):
                raise RetryableStatus(response)
            if response.status_code >= 500:
                raise answered(self.name, response)
        # Outside the breaker: a 4xx is the caller's problem, not a sign the downstream is broken.
        if response.status_code == 429:
            raise RetryableStatus(response)
        if response.status_code >= 400:
            raise answered(self.name, response)
        return response

    def _log_retry(self, method: str, path: str, state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        reason = describe(failure) if failure else "no answer"
        number, pause = state.attempt_number, state.upcoming_sleep
        _log.info("%s %s %s: %s; retry %d in %.2fs", self.name, method, path, reason, number, pause)
        fleet_metrics().retries.labels(self.name).inc()
        span = trace.get_current_span()
        span.add_event("retry", {"attempt": number, "reason": reason, "delay_seconds": pause})
        span.set_attribute("http.request.resend_count", number)

    def _failed(self, method: str, path: str, exc: DownstreamError) -> DownstreamError:
        outcome = outcome_of(exc)
        self._count(method, outcome)
        span = trace.get_current_span()
        span.set_status(StatusCode.ERROR, outcome)
        span.set_attribute("fleet.outcome", outcome)
        if outcome == "rejected":
            span.add_event("circuit breaker open", {"breaker": self.name})
        # 4xx answers are outcomes for the caller to handle; fast-fail rejections would flood.
        level = _log.debug if outcome in ("client_error", "rejected") else _log.warning
        level("%s %s %s failed: %s", self.name, method, path, exc)
        return exc

    def _count(self, method: str, outcome: str) -> None:
        fleet_metrics().client_requests.labels(self.name, method, outcome).inc()
