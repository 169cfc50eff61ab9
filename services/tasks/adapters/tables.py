"""Tables only the repository knows: the label index, and the tasks' indexes.

On SQLModel's metadata beside the task tables, so the migrations env sees one schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

from tasks.service.model import HistoryEntry, Task

task_table: sa.Table = Task.__table__  # type: ignore[attr-defined]
history_table: sa.Table = HistoryEntry.__table__  # type: ignore[attr-defined]

label_table = sa.Table(
    "task_label",
    SQLModel.metadata,
    sa.Column("label", sa.String(50), primary_key=True),
    sa.Column("task_id", sa.BigInteger, primary_key=True),
)

# What the list filters and sorts on; each ends with id for keyset pagination.
sa.Index("ix_task_status", task_table.c.status, task_table.c.id)
sa.Index("ix_task_assignee", task_table.c.assignee_id, task_table.c.id)
sa.Index("ix_task_reporter", task_table.c.reporter_id, task_table.c.id)
sa.Index("ix_task_device", task_table.c.device_id, task_table.c.id)
sa.Index("ix_task_priority", task_table.c.priority_rank, task_table.c.id)
sa.Index("ix_task_due", task_table.c.due_sort, task_table.c.id)
# At most one task per device alarm, whatever the Idempotency-Keys of the requests.
sa.Index("uq_task_alarm", task_table.c.alarm_id, unique=True)
