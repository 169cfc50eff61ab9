"""A database session per test whose writes vanish when the test ends.

PostgreSQL: the test runs inside one outer transaction that is rolled back at the end; the
session's own commits only release savepoints, and even the schema (transactional DDL) goes.
SQLite (whose driver mishandles savepoints): the schema is created for the test and dropped after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session


@contextmanager
def isolated_session(engine: sa.Engine, metadata: sa.MetaData) -> Iterator[Session]:
    """A session on `engine` with `metadata`'s tables, undone when the block exits.

    >>> with isolated_session(engine, SQLModel.metadata) as session:
    ...     SqlTaskRepository(session).add(task)
    ...     session.commit()  # visible to this session only, gone after the block
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            outer = connection.begin()
            metadata.create_all(connection)
            session = Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
            try:
                yield session
            finally:
                session.close()
                outer.rollback()
        return
    metadata.create_all(engine)
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        metadata.drop_all(engine)
