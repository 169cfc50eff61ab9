"""The table behind a SQLModel table class, typed: SQLModel sets `__table__` when it builds the
class, where a type checker cannot see it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> sa.Table:
    """`model`'s table (a class declared with `table=True`), for core statements."""
    table = sa.inspect(model).local_table
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not a table model (table=True)")
    return table
