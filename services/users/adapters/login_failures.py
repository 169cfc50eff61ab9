"""Failed logins in the service's database, so every replica counts every attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chassis.db import table_of
from users.adapters.tables import LoginFailureRow
from users.service.ports import Failures

_table = table_of(LoginFailureRow)
_c = _table.c


class SqlLoginFailures:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(self, account: str, client: str) -> Failures | None:
        row = self.session.execute(
            sa.select(_c.failures, _c.last_failed_at).where(
                _c.account == account, _c.client == client
            )
        ).first()
        return Failures(row.failures, row.last_failed_at) if row is not None else None

    def on_account(self, account: str, *, since: datetime) -> int:
        total = self.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(_c.failures), 0)).where(
                _c.account == account, _c.last_failed_at > since
            )
        ).scalar_one()
        return int(total)

    def accounts_failed_from(self, client: str, *, since: datetime, limit: int) -> list[datetime]:
        moments = self.session.execute(
            sa.select(_c.last_failed_at)
            .where(_c.client == client, _c.last_failed_at > since)
            .order_by(_c.last_failed_at.desc())
            .limit(limit)
        ).scalars()
        return list(moments)

    def record(self, account: str, client: str, *, at: datetime, forget_before: datetime) -> None:
        # One atomic upsert: concurrent failures from several replicas each count.
        insert: Any = postgresql.insert if self._dialect() == "postgresql" else sqlite.insert
        statement = insert(_table).values(
            account=account, client=client, failures=1, last_failed_at=at
        )
        restarted = sa.case((_c.last_failed_at < forget_before, 1), else_=_c.failures + 1)
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[_c.account, _c.client],
                set_={"failures": restarted, "last_failed_at": at},
            )
        )
        # Expiry: pairs quiet since forget_before count for nothing any more.
        self.session.execute(sa.delete(_table).where(_c.last_failed_at < forget_before))

    def clear(self, account: str, client: str) -> None:
        self.session.execute(sa.delete(_table).where(_c.account == account, _c.client == client))

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name
