"""The public contract of /v1/devices/{id}/commands."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from chassis.app import Text
from contracts import SnowflakeId
from devices.service.commands import Command


def _finite(value: Any) -> Any:
    """JSON may carry NaN and Infinity; the database's json type and devices' parsers refuse."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite (no NaN or Infinity)")
    for item in (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    ):
        _finite(item)
    return value


class CommandCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=100, description="e.g. reboot, set_interval.")
    args: Annotated[dict[str, Any], AfterValidator(_finite)] = Field(default_factory=dict)


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
