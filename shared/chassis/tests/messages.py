"""The messages of the chassis's own tests: shaped like the fleet's (a device's reading, events
of a piece of work) but no service's. The chassis's tests import no service's contracts, so a
new event in `contracts.tasks` selects none of them, and a fork without the sample services
keeps them.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from contracts import EventData, SnowflakeId


class Reading(BaseModel):
    """A plain payload, no envelope, as a device sends: `{"ts": ..., "metrics": {"temp": 1}}`."""

    ts: AwareDatetime
    metrics: dict[str, float] = Field(min_length=1)


class JobAssigned(EventData):
    event_type = "job.assigned"

    job_id: SnowflakeId
    assignee_id: SnowflakeId | None = None


class JobDone(EventData):
    event_type = "job.done"

    job_id: SnowflakeId
    done_at: AwareDatetime
