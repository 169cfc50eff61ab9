"""The public contract of /v1/alarms."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts import SnowflakeId
from devices.service.alarms import Alarm


class AlarmPublic(BaseModel):
    id: SnowflakeId
    device_id: SnowflakeId
    metric: str
    value: float = Field(description="The reading that crossed the threshold.")
    threshold: float = Field(description="The limit it crossed.")
    state: Literal["raised", "resolved"]
    raised_at: datetime
    resolved_at: datetime | None
    cleared_at: datetime | None = Field(description="When the value came back past its clear.")
    task_id: SnowflakeId | None = Field(description="The maintenance task; null until opened.")

    @classmethod
    def of(cls, alarm: Alarm) -> AlarmPublic:
        return cls(
            id=alarm.id,
            device_id=alarm.device_id,
            metric=alarm.metric,
            value=alarm.value,
            threshold=alarm.threshold,
            state=alarm.state,
            raised_at=alarm.raised_at,
            resolved_at=alarm.resolved_at,
            cleared_at=alarm.cleared_at,
            task_id=alarm.task_id,
        )


class AlarmPage(BaseModel):
    items: list[AlarmPublic]
    next_cursor: str | None = None
