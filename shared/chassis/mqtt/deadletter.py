"""Dead letters: what could not be handled, why, and the exact bytes, on `fleet/dlq/<service>`."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field


class DeadLetter(Exception):
    """Raise from a handler to refuse a message for good (it is dead-lettered and acked).

    For failures that retrying cannot fix: an unknown device, a decommissioned one, a timestamp
    far in the future. Any other exception counts as transient and leaves the message unacked.
    """

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail or reason


class DeadLetterRecord(BaseModel):
    """The message on the dead-letter topic: enough to inspect and replay the original."""

    service: str
    reason: str = Field(
        description="malformed_json, invalid_schema, unknown_event, rejected, or the handler's own."
    )
    error: str = Field(description="What went wrong, for people.")
    topic: str = Field(description="Where the original was published.")
    payload: str = Field(description="The original payload, as text or base64.")
    encoding: Literal["utf-8", "base64"] = "utf-8"
    correlation_id: str | None = None
    dead_lettered_at: AwareDatetime

    @classmethod
    def of(
        cls,
        *,
        service: str,
        reason: str,
        error: str,
        topic: str,
        payload: bytes,
        correlation_id: str | None,
    ) -> DeadLetterRecord:
        try:
            text, encoding = payload.decode(), "utf-8"
        except UnicodeDecodeError:
            text, encoding = base64.b64encode(payload).decode(), "base64"
        return cls(
            service=service,
            reason=reason,
            error=error[:2000],  # a huge validation error must not make a huge dead letter
            topic=topic,
            payload=text,
            encoding=encoding,
            correlation_id=correlation_id,
            dead_lettered_at=datetime.now(UTC),
        )

    def original(self) -> bytes:
        """The original payload's bytes, for a replay."""
        if self.encoding == "base64":
            return base64.b64decode(self.payload)
        return self.payload.encode()
