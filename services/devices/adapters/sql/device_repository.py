"""Devices in SQL: rows to domain objects and back, filters and keyset pages."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlmodel import col, select

from chassis.db import Repository
from devices.adapters.sql.tables import AlarmRow, DeviceRow
from devices.service.model import Device, DeviceFilter
from devices.service.thresholds import Threshold


class SqlDeviceRepository(Repository[DeviceRow]):
    model = DeviceRow

    def get(self, id: int) -> Device | None:
        row = self.session.get(DeviceRow, id)
        return None if row is None else to_device(row)

    def save(self, device: Device) -> None:
        row = self.session.get(DeviceRow, device.id) or DeviceRow(
            id=device.id,
            name=device.name,
            kind=device.kind,
            site=device.site,
            created_at=device.created_at,
        )
        row.name, row.kind, row.site = device.name, device.kind, device.site
        row.location = device.location
        row.thresholds = {
            metric: {k: v for k, v in asdict(t).items() if v is not None}
            for metric, t in device.thresholds.items()
        }
        row.decommissioned_at = device.decommissioned_at
        row.online, row.last_seen = device.online, device.last_seen
        self.session.add(row)
        self.session.flush()

    def page(
        self, where: DeviceFilter, *, limit: int, cursor: str | None
    ) -> tuple[list[Device], str | None]:
        statement = select(DeviceRow)
        if not where.include_decommissioned:
            statement = statement.where(col(DeviceRow.decommissioned_at).is_(None))
        if where.site is not None:
            statement = statement.where(DeviceRow.site == where.site)
        if where.kind is not None:
            statement = statement.where(DeviceRow.kind == where.kind)
        if where.online is not None:
            statement = statement.where(DeviceRow.online == where.online)
        if where.in_alarm is not None:
            raised = sa.exists().where(
                col(AlarmRow.device_id) == col(DeviceRow.id), col(AlarmRow.state) == "raised"
            )
            statement = statement.where(raised if where.in_alarm else ~raised)
        page = self.page_of(statement, limit=limit, cursor=cursor)
        return [to_device(row) for row in page.items], page.next_cursor


def to_device(row: DeviceRow) -> Device:
    return Device(
        id=row.id,
        name=row.name,
        kind=row.kind,
        site=row.site,
        location=row.location,
        thresholds={m: Threshold(**t) for m, t in (row.thresholds or {}).items()},
        created_at=row.created_at,
        decommissioned_at=row.decommissioned_at,
        online=row.online,
        last_seen=row.last_seen,
    )
