"""/v1/devices/{id}/readings and /state: what a device measured."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from chassis.app import problems
from chassis.db import UnitOfWorkDep
from devices.adapters.device_repository import SqlDeviceRepository
from devices.adapters.reading_queries import SqlReadings
from devices.api.deps import DeviceId, Queries, Reader
from devices.api.schemas import (
    BUCKET,
    NEXT_PAGE,
    READING_CURSOR,
    DeviceState,
    ReadingBucket,
    ReadingPoint,
    ReadingSeries,
    TimeParam,
)
from devices.service import readings, registry

router = APIRouter(prefix="/v1/devices", tags=["readings"])


@router.get("/{device_id}/readings", responses=problems(404))
def get_readings(
    device_id: DeviceId,
    uow: UnitOfWorkDep,
    sql: Queries,
    _: Reader,
    metric: Annotated[str | None, Query(max_length=100)] = None,
    start: Annotated[TimeParam | None, Query(alias="from")] = None,
    end: Annotated[TimeParam | None, Query(alias="to")] = None,
    bucket: Annotated[
        str | None, Query(pattern=BUCKET, description="e.g. 1m: min/avg/max per bucket.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    cursor: Annotated[str | None, Query(pattern=READING_CURSOR, description=NEXT_PAGE)] = None,
) -> ReadingSeries:
    registry.find(device_id, devices=SqlDeviceRepository(uow.session))
    window = readings.window(start, end, now=datetime.now(UTC))
    store = SqlReadings(uow.session, sql)
    if bucket is not None:
        rows = store.buckets(device_id, window, metric, readings.bucket_us(bucket), limit=limit)
        buckets = [
            ReadingBucket(
                metric=r["metric"],
                bucket_start=readings.from_us(int(r["bucket_us"])),
                min=r["min_value"],
                avg=r["avg_value"],
                max=r["max_value"],
                count=r["samples"],
            )
            for r in rows
        ]
        return ReadingSeries(device_id=device_id, buckets=buckets)
    points, next_cursor = store.points(device_id, window, metric, limit=limit, cursor=cursor)
    items = [
        ReadingPoint(metric=p.metric, ts=readings.from_us(p.ts_us), value=p.value) for p in points
    ]
    return ReadingSeries(device_id=device_id, items=items, next_cursor=next_cursor)


@router.get("/{device_id}/state", responses=problems(404))
def get_state(device_id: DeviceId, uow: UnitOfWorkDep, sql: Queries, _: Reader) -> DeviceState:
    device = registry.find(device_id, devices=SqlDeviceRepository(uow.session))
    latest = SqlReadings(uow.session, sql).latest(device_id)
    metrics = {
        r["metric"]: ReadingPoint(
            metric=r["metric"], ts=readings.from_us(int(r["ts_us"])), value=r["value"]
        )
        for r in latest
    }
    return DeviceState(
        device_id=device_id, online=device.online, last_seen=device.last_seen, metrics=metrics
    )
