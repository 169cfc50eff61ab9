"""The tables of the devices database, as SQLModel models the repositories map to and from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chassis.db import UtcDateTime

_ID = sa.BigInteger


class DeviceRow(SQLModel, table=True):
    __tablename__ = "devices"

    id: int = Field(sa_column=sa.Column(_ID, primary_key=True, autoincrement=False))
    name: str = Field(max_length=200)
    kind: str = Field(max_length=100, index=True)
    site: str = Field(max_length=100, index=True)
    location: str | None = Field(default=None, max_length=200)
    thresholds: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON))
    decommissioned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    online: bool = False
    last_seen: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)


# Readings are written in bulk (COPY), never through the ORM: a core table is enough.
readings = sa.Table(
    "readings",
    SQLModel.metadata,
    sa.Column("device_id", _ID, nullable=False),
    sa.Column("metric", sa.String(100), nullable=False),
    # Epoch microseconds: integer bucketing is the same SQL on PostgreSQL and SQLite.
    sa.Column("ts_us", _ID, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("stored_us", _ID, nullable=False),
    sa.PrimaryKeyConstraint("device_id", "metric", "ts_us", name="readings_pkey"),
)


class AlarmRow(SQLModel, table=True):
    __tablename__ = "alarms"

    id: int = Field(sa_column=sa.Column(_ID, primary_key=True, autoincrement=False))
    device_id: int = Field(sa_column=sa.Column(_ID, nullable=False, index=True))
    metric: str = Field(max_length=100)
    value: float
    threshold: float
    state: str = Field(max_length=20, index=True)
    raised_at: datetime = Field(sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # When the value went back past its clear level: hysteresis re-arms the metric only then.
    cleared_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    task_id: int | None = Field(default=None, sa_column=sa.Column(_ID, nullable=True, index=True))
    # The work of the reading that raised it (its task is opened under it); r0003.
    correlation_id: str | None = Field(default=None, max_length=128)
    traceparent: str | None = Field(default=None, max_length=128)  # r0004


class CommandRow(SQLModel, table=True):
    __tablename__ = "commands"

    id: int = Field(sa_column=sa.Column(_ID, primary_key=True, autoincrement=False))
    device_id: int = Field(sa_column=sa.Column(_ID, nullable=False, index=True))
    name: str = Field(max_length=100)
    args: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON))
    status: str = Field(max_length=20, index=True)
    detail: str | None = Field(default=None, max_length=2000)
    issued_at: datetime = Field(sa_type=UtcDateTime)
    deadline: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
