"""Events the users service publishes about its accounts.

The access revocations it announces as the identity service are the platform's (`contracts.auth`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import EventData
from contracts.ids import SnowflakeId

Role = Literal["admin", "operator", "technician", "service"]


class UserRegistered(EventData):
    """A user account was created (self-registration or by an admin)."""

    event_type = "user.registered"

    user_id: SnowflakeId
    username: str
    role: Role
    registered_at: AwareDatetime


class UserDeactivated(EventData):
    """A user may no longer sign in; tasks unassigns their open tasks."""

    event_type = "user.deactivated"

    user_id: SnowflakeId
    reason: str | None = Field(None, description="Why, as the admin wrote it.")
    deactivated_at: AwareDatetime
