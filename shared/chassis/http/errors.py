"""What a call to another service raises when it did not get a usable answer.

`create_app` maps both by default: DownstreamUnavailable to 503 (with Retry-After when known),
any other DownstreamError to 502. Callers catch them where a downstream answer means something
to the domain (`except DownstreamError as e: if e.status == 404: raise TechnicianNotFound`).
"""

from __future__ import annotations

import httpx


class DownstreamError(Exception):
    """A downstream answered with an error status (after any retries), or could not be reached.

    `status` is the downstream's HTTP status (None when no response came); `response` is that
    response, for callers that need its body.
    """

    def __init__(
        self,
        downstream: str,
        detail: str,
        *,
        status: int | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(f"{downstream}: {detail}")
        self.downstream = downstream
        self.status = status
        self.response = response


class DownstreamUnavailable(DownstreamError):
    """The downstream cannot serve now: its breaker is open, it is unreachable, timing out or
    overloaded (502/503/504/429 after retries). Retrying later may succeed.

    `retry_after`: whole seconds after which a retry makes sense (the breaker's remaining open
    time, or the downstream's own Retry-After), None when unknown. The problem handler turns it
    into the Retry-After header of our 503.
    """

    def __init__(
        self,
        downstream: str,
        detail: str,
        *,
        retry_after: int | None = None,
        status: int | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(downstream, detail, status=status, response=response)
        self.retry_after = retry_after
