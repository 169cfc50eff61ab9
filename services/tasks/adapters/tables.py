"""The service's tables (SQLModel): what is stored, mapped to and from the domain's objects.

All on SQLModel's metadata, so the migrations env sees one schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import UtcDateTime, table_of
from tasks.service.model import HistoryEntry, Task

# Named Record, not Row: a `TaskRow` is what a list reads (ports.TaskRow, a mapping).


class TaskRecord(SQLModel, table=True):
    __tablename__ = "task"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    title: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    priority: str = Field(sa_column=sa.Column(sa.String(10), nullable=False))
    priority_rank: int = Field(sa_column=sa.Column(sa.SmallInteger, nullable=False))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    due_at: datetime | None = Field(default=None, sa_column=sa.Column(UtcDateTime, nullable=True))
    due_sort: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    labels: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    source: str = Field(sa_column=sa.Column(sa.String(10), nullable=False))
    device_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    alarm_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    reporter_id: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    assignee_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))

    def to_domain(self) -> Task:
        # A copy of the labels: the domain changes its list, the row keeps what it loaded.
        return Task(**(columns(self, task_table) | {"labels": list(self.labels)}))

    def update_from(self, task: Task) -> None:
        # Every column assigned; the ORM writes only those whose value differs from the loaded
        # one, so concurrent edits of other fields are not overwritten.
        for name, value in columns(task, task_table).items():
            setattr(self, name, value)


class HistoryRecord(SQLModel, table=True):
    __tablename__ = "task_history"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    task_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False, index=True))
    at: datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    actor_id: str | None = Field(default=None, sa_column=sa.Column(sa.String(64), nullable=True))
    action: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))

    def to_domain(self) -> HistoryEntry:
        return HistoryEntry(**columns(self, history_table))


task_table = table_of(TaskRecord)
history_table = table_of(HistoryRecord)

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


def columns(entity: object, table: sa.Table) -> dict[str, Any]:
    """An object's values by `table`'s column names: a row read, or a domain object to write."""
    return {name: getattr(entity, name) for name in table.columns.keys()}  # noqa: SIM118
