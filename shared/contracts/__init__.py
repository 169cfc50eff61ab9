"""Fleet's event contracts: the envelope, the id type and the topic names every service shares;
each service's events in a module of its own (`contracts.tasks`, `contracts.devices`, ...).

Producers and consumers import one definition, as a shared schema repository would hold it:

>>> from contracts import Event, topics
>>> from contracts.tasks import TaskCompleted
>>> event = Event.of(TaskCompleted(task_id=7, completed_at=now), id=next_id(), source="tasks")
>>> await bus.publish(topics.event("tasks", event.type), event)
>>> async def on_completed(event: Event[TaskCompleted]) -> None: ...   # a consumer's handler

This package imports no service's events: importing it (or any of its modules) makes nothing
depend on them, so a new event in `contracts.tasks` selects only the tests of what imports
that module. `contracts.auth` holds the access revocations every service's chassis follows.
`python -m contracts.schema <dir>` exports every contract as JSON Schema for other languages.
"""

from contracts import topics
from contracts.envelope import Event, EventData
from contracts.ids import SnowflakeId

__all__ = ["Event", "EventData", "SnowflakeId", "topics"]
