"""How to reach one downstream service, and how hard to try: a section of the caller's settings."""

from __future__ import annotations

from pydantic import AnyHttpUrl, BaseModel, Field, model_validator


class DownstreamSettings(BaseModel):
    """Settings of one client to another service; services embed one per downstream.

    >>> class ShopSettings(ServiceSettings):
    ...     stock: DownstreamSettings
    # settings.toml:  [stock]  base_url = "http://127.0.0.1:8100"
    # environment:    SHOP__STOCK__BREAKER_FAIL_MAX=3
    """

    base_url: AnyHttpUrl = Field(description="Root URL of the service, e.g. http://stock.")
    connect_timeout: float = Field(1.0, gt=0, description="Seconds to open a TCP connection.")
    read_timeout: float = Field(
        5.0, gt=0, description="Seconds to wait for each chunk of the response (per attempt)."
    )
    max_attempts: int = Field(
        3, ge=1, le=10, description="Attempts per call, the first included (1: never retry)."
    )
    backoff_initial: float = Field(
        0.1, ge=0, description="Seconds before the first retry; doubles on each further retry."
    )
    backoff_max: float = Field(2.0, ge=0, description="Longest pause between two attempts.")
    backoff_jitter: float = Field(
        0.1, ge=0, description="Up to this many random seconds added to each pause (spreads load)."
    )
    retry_after_max: float = Field(
        5.0, ge=0, description="Longest pause a downstream's Retry-After header can impose."
    )
    deadline: float = Field(
        10.0, gt=0, description="Seconds a call may take in all, attempts and pauses included."
    )
    breaker_fail_max: int = Field(
        5, ge=1, description="Consecutive failed attempts that open the circuit breaker."
    )
    breaker_reset_timeout: float = Field(
        30.0, gt=0, description="Seconds an open breaker fails fast before letting a probe through."
    )
    required: bool = Field(
        True,
        description="Whether /health/ready answers 503 while this downstream's breaker is open.",
    )

    @model_validator(mode="after")
    def _backoff_fits(self) -> DownstreamSettings:
        if self.backoff_initial > self.backoff_max:
            raise ValueError("backoff_initial must not exceed backoff_max")
        return self
