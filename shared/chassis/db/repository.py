"""The repository base: the rows of one table model, plus inline and file SQL helpers.

Repositories are where SQL lives; the domain layer sees only their methods, in its own words
(`get`, `add`, `page` ... taking and giving domain objects). The base's own methods speak rows
and are named apart, so a service's repository defines its domain methods without overriding them.

>>> class SqlDeviceRepository(Repository[DeviceRow]):
...     model = DeviceRow
...     def get(self, device_id: int) -> Device | None:
...         row = self.row(device_id)
...         return row.to_domain() if row is not None else None
>>> devices = SqlDeviceRepository(uow.session)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlmodel import SQLModel

from contracts.ids import LAST_ID, parse_id

M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of a keyset-paginated list; `next_cursor` is None on the last page."""

    items: list[M]
    next_cursor: str | None


class Repository(Generic[M]):
    """Persistence of one SQLModel `model` whose primary key is an `id` (a snowflake)."""

    model: ClassVar[type[Any]]

    def __init__(self, session: Session) -> None:
        self.session = session

    # ORM rows
    def row(self, id: int) -> M | None:
        found: M | None = self.session.get(self.model, id)
        return found

    def stage(self, row: M) -> M:
        """Stage `row` for insert or update; it is written on flush or commit."""
        self.session.add(row)
        return row

    def remove(self, row: M) -> None:
        self.session.delete(row)

    def all(self, statement: sa.Select[Any]) -> list[M]:
        """The model instances a `select(Model)...` statement returns."""
        return list(self.session.scalars(statement))

    def page_of(self, statement: sa.Select[Any], *, limit: int, cursor: str | None) -> Page[M]:
        """A page of `statement` in id order, after the id `cursor` names.

        Keyset pagination: it costs the same on page 1 and page 1000, and rows inserted while a
        client pages never shift what it sees (snowflake ids grow with time).
        """
        key = self.model.id
        if cursor is not None:
            statement = statement.where(key > _cursor_id(cursor))
        items = self.all(statement.order_by(key).limit(limit + 1))
        more = len(items) > limit
        items = items[:limit]
        return Page(items, str(items[-1].id) if more and items else None)  # type: ignore[attr-defined]

    # Inline SQL (core or text) and SQL files
    def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[sa.RowMapping]:
        """Rows of a core `select()` or a `text()` clause (e.g. from `SqlFiles`), as mappings."""
        return self.session.execute(statement, params or {}).mappings().all()

    def execute(self, statement: Executable, params: Mapping[str, Any] | None = None) -> int:
        """Run an UPDATE or DELETE; the number of rows it touched."""
        result = self.session.execute(statement, params or {})
        return int(getattr(result, "rowcount", 0))


class InvalidCursor(ValueError):
    """A pagination cursor that no page of ours ever returned (map it to 400)."""


def _cursor_id(cursor: str) -> int:
    key = parse_id(cursor)
    if key is None:
        raise InvalidCursor(f"invalid cursor {cursor!r}")
    # 19 digits can name more than an id holds; past the last id a page is empty, as the
    # last id's own page is, instead of a parameter the database refuses as a bigint.
    return min(key, LAST_ID)
