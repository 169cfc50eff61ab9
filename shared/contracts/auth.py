"""Access revocation: the identity service announces it, every service's chassis follows it.

A platform protocol, not one service's domain events: `chassis.auth.revocation` consumes these in
every service, so they live apart from `contracts.users` (a change to users' own events selects
only users and its consumers). The users service publishes them as the fleet's identity service.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.envelope import EventData
from contracts.ids import SnowflakeId


class AccessRevoked(EventData):
    """Access tokens the user holds stop working on every service, before they expire.

    Tokens issued to the user at or before `revoked_at` are refused; with `session_id`, only
    that session's tokens (a logout). Every service's chassis keeps these for as long as an
    access token can live.
    """

    event_type = "access.revoked"

    user_id: SnowflakeId
    reason: Literal["deactivated", "role_changed", "logged_out", "session_revoked"]
    revoked_at: AwareDatetime
    session_id: SnowflakeId | None = Field(
        None, description="Only the tokens of this session (the token's `sid`); null: all."
    )


class AccessRevocations(BaseModel):
    """Every access revocation users still remembers: the state its `access.revoked` events
    built, retained at `topics.ACCESS_REVOCATIONS` for a process that was not there to hear them.

    Users republishes it whenever it learns a revocation; a process gets it the moment it
    subscribes. Entries older than the remember window (longer than any access token lives) are
    left out.
    """

    model_config = ConfigDict(frozen=True)

    subjects: dict[SnowflakeId, AwareDatetime] = Field(
        default_factory=dict,
        description="User id -> the user's tokens issued at or before this moment are refused.",
    )
    sessions: dict[SnowflakeId, AwareDatetime] = Field(
        default_factory=dict,
        description="Session id (a token's `sid`) -> when it ended; its tokens are refused.",
    )


# The retained snapshot, exported as JSON Schema (contracts.schema).
PAYLOADS: dict[str, Any] = {"access.revocations": AccessRevocations}
