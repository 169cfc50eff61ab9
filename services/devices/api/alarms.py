"""/v1/alarms: what the readings raised, and where their tasks stand."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from chassis.app import problems
from devices.api.alarm_schemas import AlarmPage, AlarmPublic
from devices.api.deps import Reader, Tx
from devices.api.schemas import ID_CURSOR, NEXT_PAGE, TimeParam
from devices.service.alarm_handling import browse_alarms, find_alarm
from devices.service.alarms import AlarmFilter

router = APIRouter(prefix="/v1/alarms", tags=["alarms"])

AlarmId = Annotated[int, Path(ge=0, lt=2**63, description="The alarm's snowflake id.")]


@router.get("")
async def list_alarms(
    tx: Tx,
    _: Reader,
    device: Annotated[int | None, Query(ge=0, lt=2**63, description="A device id.")] = None,
    state: Literal["raised", "resolved"] | None = None,
    since: Annotated[TimeParam | None, Query(description="Raised at or after (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(pattern=ID_CURSOR, description=NEXT_PAGE)] = None,
) -> AlarmPage:
    where = AlarmFilter(device, state, since)
    items, next_cursor = await tx.read(
        lambda work: browse_alarms(where, limit=limit, cursor=cursor, alarms=work.alarms)
    )
    return AlarmPage(items=[AlarmPublic.of(a) for a in items], next_cursor=next_cursor)


@router.get("/{alarm_id}", responses=problems(404))
async def get_alarm(alarm_id: AlarmId, tx: Tx, _: Reader) -> AlarmPublic:
    return AlarmPublic.of(await tx.read(lambda work: find_alarm(alarm_id, alarms=work.alarms)))
