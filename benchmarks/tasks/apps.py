"""The apps the benchmark serves: the minimal reference and the tasks service itself.

The reference is the FastAPI + SQLModel tutorial shape: one table, a session per request, one
row inserted and committed per POST. Both read their database URL from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, create_engine

from chassis.db import table_of
from tasks.main import build
from tasks.settings import TasksSettings


class ReferenceItemBase(SQLModel):
    title: str = Field(max_length=200)
    priority: str = "normal"


class ReferenceItem(ReferenceItemBase, table=True):
    __tablename__ = "bench_reference_item"

    id: int | None = Field(default=None, primary_key=True)


def _session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


ReferenceSession = Annotated[Session, Depends(_session)]


def reference() -> FastAPI:
    """POST /items inserts one row; GET /items/{id} reads one (BENCH_REFERENCE_URL)."""
    engine: Engine = create_engine(os.environ["BENCH_REFERENCE_URL"])
    SQLModel.metadata.create_all(engine, tables=[table_of(ReferenceItem)])
    app = FastAPI()
    app.state.engine = engine

    @app.post("/items", status_code=201)
    def create_item(item: ReferenceItemBase, s: ReferenceSession) -> ReferenceItem:
        row = ReferenceItem.model_validate(item)
        s.add(row)
        s.commit()
        s.refresh(row)
        return row

    @app.get("/items/{item_id}")
    def read_item(item_id: int, s: ReferenceSession) -> ReferenceItem:
        row = s.get(ReferenceItem, item_id)
        if row is None:
            raise HTTPException(404)
        return row

    return app


def tasks() -> FastAPI:
    """The tasks service as deployed, configured by TASKS__* variables."""
    return build(TasksSettings.load())
