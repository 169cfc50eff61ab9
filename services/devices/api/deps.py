"""Dependency aliases that keep route signatures short: who may call, the components routes use,
and `Tx`, the units of work bound to devices' repositories.

All async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from chassis.app import component
from chassis.auth import Principal, require_roles
from chassis.db import SqlFiles, Transactions, transactions
from devices.adapters.sql.directory import DeviceDirectory
from devices.adapters.sql.work import SqlDeviceWork, SqlReadingWork

Operator = Annotated[Principal, Depends(require_roles("operator", "admin"))]
Reader = Annotated[Principal, Depends(require_roles("admin", "operator", "technician", "service"))]
DeviceId = Annotated[int, Path(ge=0, lt=2**63, description="The device's snowflake id.")]
Directory = Annotated[DeviceDirectory, Depends(component(DeviceDirectory))]
Queries = Annotated[SqlFiles, Depends(component(SqlFiles))]
Tx = Annotated[Transactions[SqlDeviceWork], Depends(transactions(SqlDeviceWork))]


async def _reading_transactions(tx: Tx, sql: Queries) -> Transactions[SqlReadingWork]:
    # The readings' queries are one of the app's components: bound to the request's app here.
    return Transactions(tx.database, lambda uow: SqlReadingWork(uow, sql))


ReadingTx = Annotated[Transactions[SqlReadingWork], Depends(_reading_transactions)]
