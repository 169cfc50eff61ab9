"""History entries: who changed what and when, in one shape for every change."""

from __future__ import annotations

from typing import Any

from chassis.db import next_id
from contracts.ids import parse_id
from tasks.service.model import HistoryEntry, Task


def entry(
    task: Task,
    actor_id: str | None,
    action: str,
    changes: dict[str, Any],
    *,
    reason: str | None = None,
) -> HistoryEntry:
    """A history entry for `task` as it stands (its `updated_at` is when the change happened)."""
    return HistoryEntry(
        id=next_id(),
        task_id=task.id,
        at=task.updated_at,
        actor_id=actor_id,
        action=action,
        changes=changes,
        reason=reason,
    )


def subject_id(subject: str) -> int:
    """A token subject as the contracts' id: a user's snowflake; 0 for a service account, whose
    subject is a client id (the contracts require an id where a person usually acts)."""
    return parse_id(subject) or 0


def id_text(value: int | None) -> str | None:
    """Ids in history are strings, as everywhere in JSON."""
    return None if value is None else str(value)
