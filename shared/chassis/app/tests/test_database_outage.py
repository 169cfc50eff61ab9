"""While the database is down, every route that needs it answers 503 problem+json with
Retry-After (never 500), and serves again by itself once the database is back."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
import sqlalchemy as sa
from fastapi import APIRouter, Depends

from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings
from chassis.db import Database, DatabaseSettings, Transactions, UnitOfWork, transactions
from chassis.testing import PrivatePostgres

PROBLEM = "application/problem+json"
# The services' shape: a route's transactions, bound (here to the bare unit of work).
Tx = Annotated[Transactions[UnitOfWork], Depends(transactions(lambda uow: uow))]


def _scalar(sql: str) -> Callable[[UnitOfWork], int]:
    return lambda uow: int(uow.session.execute(sa.text(sql)).scalar_one())


def _app(database: Database) -> object:
    router = APIRouter(prefix="/v1")

    @router.get("/answer")  # a route on the request's transactions
    async def answer(tx: Tx) -> dict[str, int]:
        return {"answer": await tx(_scalar("SELECT 42"))}

    @router.get("/answer-async")  # async code reaching the database through transaction()
    async def answer_async() -> dict[str, int]:
        def work(uow: UnitOfWork) -> int:
            return int(uow.session.execute(sa.text("SELECT 42")).scalar_one())

        return {"answer": await database.transaction(work)}

    @router.get("/refused")  # the database refuses the statement itself: a bug, not an outage
    async def refused(tx: Tx) -> dict[str, int]:
        return {"answer": await tx(_scalar("SELECT 1 / 0"))}

    return create_app(GreeterSettings(worker_id=1), routers=[router], components=[database])


@asynccontextmanager
async def _serving(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = _app(database)
    async with app.router.lifespan_context(app):  # type: ignore[attr-defined]
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield client


async def test_routes_answer_503_with_retry_after_while_the_database_is_down(
    private_postgres: PrivatePostgres,
) -> None:
    async with _serving(Database(DatabaseSettings(url=private_postgres.url))) as client:
        assert (await client.get("/v1/answer")).status_code == 200
        private_postgres.stop()
        for path in ("/v1/answer", "/v1/answer-async"):
            response = await client.get(path)
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == PROBLEM
            assert int(response.headers["retry-after"]) > 0
            body = response.json()
            assert body["type"] == "urn:fleet:problem:database-unavailable"
            assert body["status"] == 503
            assert "Traceback" not in response.text
        private_postgres.start()
        assert (await client.get("/v1/answer")).json() == {"answer": 42}
        assert (await client.get("/v1/answer-async")).json() == {"answer": 42}


async def test_an_exhausted_pool_answers_503(private_postgres: PrivatePostgres) -> None:
    settings = DatabaseSettings(
        url=private_postgres.url, pool_size=1, max_overflow=0, pool_timeout=0.2
    )
    database = Database(settings)
    async with _serving(database) as client:
        held, release = threading.Event(), threading.Event()

        def hold_the_only_connection() -> None:
            with database.engine.connect():
                held.set()
                release.wait(10)

        holder = threading.Thread(target=hold_the_only_connection)
        holder.start()
        try:
            held.wait(10)
            response = await client.get("/v1/answer")
        finally:
            release.set()
            holder.join()
        assert response.status_code == 503
        assert "retry-after" in response.headers
        assert (await client.get("/v1/answer")).status_code == 200


async def test_a_statement_the_database_refuses_is_still_a_500(
    private_postgres: PrivatePostgres,
) -> None:
    async with _serving(Database(DatabaseSettings(url=private_postgres.url))) as client:
        response = await client.get("/v1/refused")
    assert response.status_code == 500
    assert "retry-after" not in response.headers
