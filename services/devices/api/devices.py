"""/v1/devices: the registry. Routes parse, authorize, call the service layer, shape answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from chassis.app import Text, links, problems
from chassis.db import UnitOfWorkDep
from chassis.idempotency import Idempotent
from devices.adapters.device_repository import SqlDeviceRepository
from devices.api.deps import DeviceId, Directory, Operator, Reader
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
def create_device(
    body: DeviceCreate, uow: UnitOfWorkDep, _: Operator, idempotency: Idempotent
) -> Response:
    """Register a device (201); a retry with the same Idempotency-Key and body gets the same
    answer, and registers nothing more."""

    def register() -> DevicePublic:
        device = registry.register(
            name=body.name,
            kind=body.kind,
            site=body.site,
            location=body.location,
            thresholds={m: t.to_domain() for m, t in body.thresholds.items()},
            devices=SqlDeviceRepository(uow.session),
        )
        return DevicePublic.of(device)

    return idempotency.answer(uow, register, status=status.HTTP_201_CREATED)


@router.get("")
def list_devices(
    uow: UnitOfWorkDep,
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
    items, next_cursor = registry.browse(
        where, limit=limit, cursor=cursor, devices=SqlDeviceRepository(uow.session)
    )
    return DevicePage(items=[DevicePublic.of(d) for d in items], next_cursor=next_cursor)


@router.get("/{device_id}", responses=problems(404))
def get_device(device_id: DeviceId, uow: UnitOfWorkDep, _: Reader) -> DevicePublic:
    return DevicePublic.of(registry.find(device_id, devices=SqlDeviceRepository(uow.session)))


@router.patch("/{device_id}", responses=problems(404, 409))
def update_device(
    device_id: DeviceId, body: DeviceUpdate, uow: UnitOfWorkDep, directory: Directory, _: Operator
) -> DevicePublic:
    device = registry.change(device_id, body.changes(), devices=SqlDeviceRepository(uow.session))
    uow.commit()
    directory.forget(device_id)  # new thresholds apply to the next readings
    return DevicePublic.of(device)


@router.delete("/{device_id}", responses=problems(404))
def decommission_device(
    device_id: DeviceId, uow: UnitOfWorkDep, directory: Directory, _: Operator
) -> DevicePublic:
    """Decommission: the device and its history stay; its telemetry is refused from now on."""
    device = registry.decommission(device_id, devices=SqlDeviceRepository(uow.session))
    uow.commit()
    directory.forget(device_id)
    return DevicePublic.of(device)
