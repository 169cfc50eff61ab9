"""/v1/alarms: what the readings raised, and where their tasks stand."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from chassis.app import problems
from chassis.db import UnitOfWorkDep
from devices.adapters.alarm_repository import AlarmFilter, SqlAlarmRepository
from devices.api.alarm_schemas import AlarmPage, AlarmPublic
from devices.api.deps import Reader
from devices.api.schemas import ID_CURSOR, NEXT_PAGE, TimeParam
from devices.service.alarm_handling import find_alarm

router = APIRouter(prefix="/v1/alarms", tags=["alarms"])

AlarmId = Annotated[int, Path(ge=0, lt=2**63, description="The alarm's snowflake id.")]


@router.get("")
def list_alarms(
    uow: UnitOfWorkDep,
    _: Reader,
    device: Annotated[int | None, Query(ge=0, lt=2**63, description="A device id.")] = None,
    state: Literal["raised", "resolved"] | None = None,
    since: Annotated[TimeParam | None, Query(description="Raised at or after (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(pattern=ID_CURSOR, description=NEXT_PAGE)] = None,
) -> AlarmPage:
    where = AlarmFilter(device, state, since)
    items, next_cursor = SqlAlarmRepository(uow.session).page(where, limit=limit, cursor=cursor)
    return AlarmPage(items=[AlarmPublic.of(a) for a in items], next_cursor=next_cursor)


@router.get("/{alarm_id}", responses=problems(404))
def get_alarm(alarm_id: AlarmId, uow: UnitOfWorkDep, _: Reader) -> AlarmPublic:
    return AlarmPublic.of(find_alarm(alarm_id, alarms=SqlAlarmRepository(uow.session)))
