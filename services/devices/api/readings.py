"""/v1/devices/{id}/readings and /state: what a device measured."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from chassis.app import problems
from devices.adapters.sql.work import SqlReadingWork
from devices.api.deps import DeviceId, Reader, ReadingTx
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
async def get_readings(
    device_id: DeviceId,
    tx: ReadingTx,
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
    def read(work: SqlReadingWork) -> ReadingSeries:  # up to 10,000 points: off the event loop
        registry.find(device_id, devices=work.devices)
        window = readings.window(start, end, now=datetime.now(UTC))
        if bucket is not None:
            rows = work.readings.buckets(
                device_id, window, metric, readings.bucket_us(bucket), limit=limit
            )
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
        points, next_cursor = work.readings.points(
            device_id, window, metric, limit=limit, cursor=cursor
        )
        items = [
            ReadingPoint(metric=p.metric, ts=readings.from_us(p.ts_us), value=p.value)
            for p in points
        ]
        return ReadingSeries(device_id=device_id, items=items, next_cursor=next_cursor)

    return await tx.read(read)


@router.get("/{device_id}/state", responses=problems(404))
async def get_state(device_id: DeviceId, tx: ReadingTx, _: Reader) -> DeviceState:
    def read(work: SqlReadingWork) -> DeviceState:
        device = registry.find(device_id, devices=work.devices)
        metrics = {
            r["metric"]: ReadingPoint(
                metric=r["metric"], ts=readings.from_us(int(r["ts_us"])), value=r["value"]
            )
            for r in work.readings.latest(device_id)
        }
        return DeviceState(
            device_id=device_id, online=device.online, last_seen=device.last_seen, metrics=metrics
        )

    return await tx.read(read)
