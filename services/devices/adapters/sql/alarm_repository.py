"""Alarms in SQL: rows to domain objects and back, the disarmed metrics, pending tasks, pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from chassis.db import Repository
from devices.adapters.sql.tables import AlarmRow
from devices.service.alarms import Alarm, AlarmFilter, MetricKey


class SqlAlarmRepository(Repository[AlarmRow]):
    model = AlarmRow

    def get(self, alarm_id: int) -> Alarm | None:
        row = self.session.get(AlarmRow, alarm_id)
        return None if row is None else to_alarm(row)

    def save(self, alarm: Alarm) -> None:
        row = self.session.get(AlarmRow, alarm.id)
        if row is None:
            row = AlarmRow(**_fields(alarm))
        else:
            for name, value in _fields(alarm).items():
                setattr(row, name, value)
        self.session.add(row)
        self.session.flush()

    def disarmed(self, device_ids: Iterable[int]) -> dict[MetricKey, Alarm]:
        """Per metric of these devices, its alarm not cleared yet (at most one by construction)."""
        statement = select(AlarmRow).where(
            col(AlarmRow.device_id).in_(list(device_ids)), col(AlarmRow.cleared_at).is_(None)
        )
        return {(a.device_id, a.metric): a for a in map(to_alarm, self.all(statement))}

    def for_task(self, task_id: int) -> Alarm | None:
        statement = select(AlarmRow).where(AlarmRow.task_id == task_id).limit(1)
        rows = self.all(statement)
        return to_alarm(rows[0]) if rows else None

    def without_task(self, limit: int) -> list[Alarm]:
        """Raised alarms whose task is not open yet, oldest first."""
        statement = (
            select(AlarmRow)
            .where(col(AlarmRow.task_id).is_(None), AlarmRow.state == "raised")
            .order_by(col(AlarmRow.id))
            .limit(limit)
        )
        return [to_alarm(row) for row in self.all(statement)]

    def link_task(self, alarm_id: int, task_id: int) -> bool:
        """Store the task of an alarm that has none yet; False if it already had one."""
        statement = (
            sa.update(AlarmRow)
            .where(col(AlarmRow.id) == alarm_id, col(AlarmRow.task_id).is_(None))
            .values(task_id=task_id)
        )
        return self.execute(statement) == 1

    def page(
        self, where: AlarmFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Alarm], str | None]:
        statement = select(AlarmRow)
        if where.device_id is not None:
            statement = statement.where(AlarmRow.device_id == where.device_id)
        if where.state is not None:
            statement = statement.where(AlarmRow.state == where.state)
        if where.since is not None:
            statement = statement.where(col(AlarmRow.raised_at) >= where.since)
        page = self.page_of(statement, limit=limit, cursor=cursor)
        return [to_alarm(row) for row in page.items], page.next_cursor


def _fields(alarm: Alarm) -> dict[str, Any]:
    return {
        "id": alarm.id,
        "device_id": alarm.device_id,
        "metric": alarm.metric,
        "value": alarm.value,
        "threshold": alarm.threshold,
        "state": alarm.state,
        "raised_at": alarm.raised_at,
        "resolved_at": alarm.resolved_at,
        "cleared_at": alarm.cleared_at,
        "task_id": alarm.task_id,
        "correlation_id": alarm.correlation_id,
        "traceparent": alarm.traceparent,
    }


def to_alarm(row: AlarmRow) -> Alarm:
    return Alarm(
        id=row.id,
        device_id=row.device_id,
        metric=row.metric,
        value=row.value,
        threshold=row.threshold,
        raised_at=row.raised_at,
        state="resolved" if row.state == "resolved" else "raised",
        resolved_at=row.resolved_at,
        cleared_at=row.cleared_at,
        task_id=row.task_id,
        correlation_id=row.correlation_id,
        traceparent=row.traceparent,
    )
