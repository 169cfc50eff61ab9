"""How the outbox relay polls, retries and lets go."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OutboxSettings(BaseModel):
    poll_interval: float = Field(
        0.5, gt=0, description="Seconds between looks at the outbox when it was empty."
    )
    batch_size: int = Field(100, ge=1, description="Events claimed and published per round.")
    lease: float = Field(
        30.0,
        gt=0,
        description="Seconds a claimed batch belongs to this replica; a crashed replica's "
        "batch is taken over after that.",
    )
    publish_timeout: float = Field(
        10.0, gt=0, description="Seconds one publish may take before it counts as failed."
    )
    retry_initial: float = Field(
        0.5, gt=0, description="First pause after a failed round (broker or database down)."
    )
    retry_max: float = Field(30.0, gt=0, description="Longest pause between failed rounds.")
    grace_period: float = Field(
        5.0, ge=0, description="Seconds the relay keeps publishing at shutdown to empty the outbox."
    )
    keep_sent: float = Field(
        7 * 24 * 3600.0,
        gt=0,
        description="Seconds published events are kept (for audits and replays) before deletion.",
    )
