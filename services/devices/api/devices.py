"""/v1/devices: the registry. Routes parse, authorize, call the service layer, shape answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from chassis.app import Text, links, problems
from chassis.idempotency import Idempotent
from devices.adapters.sql.work import SqlDeviceWork
from devices.api.deps import DeviceId, Directory, Operator, Reader, Tx
from devices.api.schemas import (
    ID_CURSOR,
    NEXT_PAGE,
    DeviceCreate,
    DevicePage,
    DevicePublic,
    DeviceUpdate,
)
from devices.service import registry
from devices.service.model import DeviceFilter

router = APIRouter(prefix="/v1/devices", tags=["devices"])

REGISTERED = links(
    201,
    "GET /v1/devices/{device_id}",
    "PATCH /v1/devices/{device_id}",
    "DELETE /v1/devices/{device_id}",
    "GET /v1/devices/{device_id}/readings",
    "GET /v1/devices/{device_id}/state",
    "POST /v1/devices/{device_id}/commands",
    device_id="id",
)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=DevicePublic, responses=REGISTERED
)
async def create_device(
    body: DeviceCreate, tx: Tx, _: Operator, idempotency: Idempotent
) -> Response:
    """Register a device (201); a retry with the same Idempotency-Key and body gets the same
    answer, and registers nothing more."""

    def register(work: SqlDeviceWork) -> DevicePublic:
        device = registry.register(
            name=body.name,
            kind=body.kind,
            site=body.site,
            location=body.location,
            thresholds={m: t.to_domain() for m, t in body.thresholds.items()},
            devices=work.devices,
        )
        return DevicePublic.of(device)

    return await idempotency.answer_in(tx, register, status=status.HTTP_201_CREATED)


@router.get("")
async def list_devices(
    tx: Tx,
    _: Reader,
    site: Text | None = None,
    kind: Text | None = None,
    online: bool | None = None,
    in_alarm: Annotated[bool | None, Query(description="Devices with a raised alarm.")] = None,
    include_decommissioned: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(pattern=ID_CURSOR, description=NEXT_PAGE)] = None,
) -> DevicePage:
    where = DeviceFilter(site, kind, online, in_alarm, include_decommissioned)
    items, next_cursor = await tx.read(
        lambda work: registry.browse(where, limit=limit, cursor=cursor, devices=work.devices)
    )
    return DevicePage(items=[DevicePublic.of(d) for d in items], next_cursor=next_cursor)


@router.get("/{device_id}", responses=problems(404))
async def get_device(device_id: DeviceId, tx: Tx, _: Reader) -> DevicePublic:
    return DevicePublic.of(
        await tx.read(lambda work: registry.find(device_id, devices=work.devices))
    )


@router.patch("/{device_id}", responses=problems(404, 409))
async def update_device(
    device_id: DeviceId, body: DeviceUpdate, tx: Tx, directory: Directory, _: Operator
) -> DevicePublic:
    changes = body.changes()
    device = await tx(lambda work: registry.change(device_id, changes, devices=work.devices))
    directory.forget(device_id)  # new thresholds apply to the next readings
    return DevicePublic.of(device)


@router.delete("/{device_id}", responses=problems(404))
async def decommission_device(
    device_id: DeviceId, tx: Tx, directory: Directory, _: Operator
) -> DevicePublic:
    """Decommission: the device and its history stay; its telemetry is refused from now on."""
    device = await tx(lambda work: registry.decommission(device_id, devices=work.devices))
    directory.forget(device_id)
    return DevicePublic.of(device)
