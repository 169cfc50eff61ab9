"""The OTLP exporter's HTTP requests, sent with httpx.

OpenTelemetry's OTLP/HTTP exporter (its encoding, retries, Retry-After and size limit) sends
with `requests` unless given a transport: requests, urllib3, charset_normalizer and idna, 4.4 MB
in every traced process, beside the httpx the chassis holds anyway. Its transports are
pluggable (`BaseHTTPTransport`, opentelemetry-exporter-http-transport, passed as the exporter's
`_transport`, still underscored while that package is in beta): this one is httpx's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from opentelemetry.exporter.http.transport._base import BaseHTTPResult, BaseHTTPTransport

from chassis.tls import client_tls


@dataclass(frozen=True, slots=True)
class _Result(BaseHTTPResult):
    response: httpx.Response | None = field(default=None, compare=False)

    def content(self) -> bytes:
        return self.response.content if self.response is not None else b""

    def headers(self) -> Mapping[str, str]:
        return self.response.headers if self.response is not None else {}


class HttpxTransport(BaseHTTPTransport):
    """One connection pool, used from the span processor's export thread."""

    def __init__(self) -> None:
        self._client = httpx.Client(verify=client_tls())

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        data: bytes | None = None,
    ) -> BaseHTTPResult:
        try:
            response = self._client.request(
                method, url, headers=headers, timeout=timeout, content=data
            )
        except httpx.HTTPError as error:
            return _Result(error=error)
        return _Result(
            status_code=response.status_code, reason=response.reason_phrase, response=response
        )

    def is_connection_error(self, exception: Exception | None) -> bool:
        # The exporter retries these at once, then with backoff, as it does a 503.
        return isinstance(exception, httpx.TransportError)

    def close(self) -> None:
        self._client.close()
