"""How the outbox relay polls, retries and lets go."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OutboxSettings(BaseModel):
    poll_interval: float = Field(
        0.5,
        gt=0,
        description="Seconds between looks at the outbox when nothing woke the relay: a commit "
        "with events in this process wakes it at once; the poll finds the rest (another "
        "replica's rows, a crash between commit and publish, a broker that was down).",
    )
    batch_size: int = Field(
        500,
        ge=1,
        description="Events claimed per round and handed to the broker at once (pipelined "
        "QoS 1); keep it within the bus's `mqtt.max_inflight`.",
    )
    lease: float = Field(
        30.0,
        gt=0,
        description="Seconds a claimed batch belongs to this replica; a crashed replica's "
        "batch is taken over after that.",
    )
    publish_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a round's publishes may take to be acknowledged; those still "
        "waiting then count as failed and are published again later.",
    )
    backlog_interval: float = Field(
        1.0,
        gt=0,
        description="Seconds between counts of the unsent events (a full count, for the "
        "backlog gauge and readiness) while rounds go through; a failed round always counts.",
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
