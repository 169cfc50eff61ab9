"""The public contract of /v1/devices/{id}/commands."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from chassis.app import Text
from contracts import SnowflakeId
from devices.service.commands import Command


class CommandCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=100, description="e.g. reboot, set_interval.")
    args: dict[str, Any] = Field(default_factory=dict)


class CommandPublic(BaseModel):
    id: SnowflakeId
    device_id: SnowflakeId
    name: str
    args: dict[str, Any]
    status: Literal["pending", "acknowledged", "failed", "timed_out"]
    detail: str | None
    issued_at: datetime
    deadline: datetime = Field(description="Still pending then: timed_out.")
    answered_at: datetime | None

    @classmethod
    def of(cls, command: Command) -> CommandPublic:
        return cls(
            id=command.id,
            device_id=command.device_id,
            name=command.name,
            args=command.args,
            status=command.status,
            detail=command.detail,
            issued_at=command.issued_at,
            deadline=command.deadline,
            answered_at=command.answered_at,
        )
