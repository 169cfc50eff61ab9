"""The Idempotency-Key of one request, and answering a create once per key.

The answer is stored with the effect, in one transaction: a row keyed by (caller, key) that goes
into the commit with the created rows (`uow.insert`: no extra round trip). A concurrent
duplicate's commit meets that primary key (PostgreSQL makes it wait for the first transaction,
then refuses it), so its effect rolls back and it gives the stored answer instead: one effect,
however many copies run at once. Any failure of a request with a key is looked up the same way,
since it may be the first request's effect that made it fail (a username it just took).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

import anyio
import sqlalchemy as sa
from fastapi import Depends, Header, Request
from pydantic import BaseModel
from starlette.responses import Response

from chassis.auth.principal import current_principal
from chassis.db.database import Database
from chassis.db.dependencies import Transactions
from chassis.db.failures import database_unavailable
from chassis.db.unit_of_work import UnitOfWork
from chassis.errors.domain import DomainError
from chassis.idempotency.fingerprint import fingerprint
from chassis.idempotency.store import Answer, answer_row, purge_now_and_then, stored
from chassis.idempotency.tables import idempotency_table

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="A key of the caller's for this request (a UUID): a retry with the same key "
        "and body is answered as the first request was, and nothing is done again; the same key "
        "with another body is refused (422). Keys are the caller's own and kept for "
        "`database.idempotency_retention` (24 h by default).",
    ),
]


W = TypeVar("W")


class IdempotencyKeyReused(DomainError):
    """The caller used the Idempotency-Key before for another request (body or endpoint)."""

    status = 422

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used with a different body; use a new key"
        )


@dataclass(frozen=True)
class Idempotency:
    """The request's Idempotency-Key (None: it sent none), with what identifies the request.

    >>> @router.post("/v1/devices", status_code=201, response_model=DevicePublic)
    ... async def create_device(body: DeviceCreate, tx: Tx, idempotency: Idempotent):
    ...     create = lambda work: DevicePublic.of(register(..., devices=work.devices))
    ...     return await idempotency.answer_in(tx, create, status=201)
    """

    key: str | None
    method: str
    path: str
    body: bytes
    client: str
    retention: float
    secrets: Collection[str] = field(default=())

    def caller(self) -> str:
        """Whose keys these are: the token's subject, else the client's address (behind a
        trusted proxy, the one it forwarded). Read when answering, after authentication."""
        principal = current_principal()
        caller = f"subject:{principal.id}" if principal is not None else f"address:{self.client}"
        if len(caller) > 200:  # the column's width; a digest keeps callers apart
            return "sha256:" + hashlib.sha256(caller.encode()).hexdigest()
        return caller

    def answer(
        self,
        uow: UnitOfWork,
        create: Callable[[], BaseModel],
        *,
        status: int,
        replay_status: int | None = None,
    ) -> Response:
        """Run `create` (the effect, in `uow`) and commit; answer with what it returns, as JSON.

        Under a key the answer commits with the effect; a retry (or a concurrent duplicate)
        gets the stored answer instead, with `replay_status` if given, and its own effect is
        rolled back. The same key with another request: IdempotencyKeyReused (422).
        """
        if self.key is None:
            body = _encoded(create())
            uow.commit()
            return _json(body, status)
        caller = self.caller()
        asked = self._fingerprint(caller)
        try:
            answer = Answer(status, _encoded(create()))
            uow.insert(idempotency_table, answer_row(caller, self.key, asked, answer))
            uow.commit()
        except Exception as exc:
            if database_unavailable(exc):
                raise
            uow.rollback()  # a new transaction sees what the first request committed
            earlier = stored(uow.session, caller, self.key)
            if earlier is None:
                raise
            if earlier.fingerprint != asked:
                raise IdempotencyKeyReused(self.key) from None
            return _json(earlier.answer.body, replay_status or earlier.answer.status)
        purge_now_and_then(uow.session.get_bind().engine, self.retention)
        return _json(answer.body, status)

    async def answer_in(
        self,
        transactions: Transactions[W],
        create: Callable[[W], BaseModel],
        *,
        status: int,
        replay_status: int | None = None,
    ) -> Response:
        """`answer` for async routes: `create(work)` on a new unit of work of `transactions`,
        in a worker thread. A unique row met that no earlier answer explains raises
        `transactions.conflict`, as the transactions' own calls do."""
        database, bind = transactions.database, transactions.bind

        def run() -> Response:
            with database.unit_of_work() as uow:
                work = bind(uow)
                return self.answer(
                    uow, lambda: create(work), status=status, replay_status=replay_status
                )

        try:
            return await anyio.to_thread.run_sync(run)
        except sa.exc.IntegrityError as exc:
            if transactions.conflict is None:
                raise
            raise transactions.conflict from exc

    def _fingerprint(self, caller: str) -> str:
        salt = f"{caller}\0{self.key}".encode()
        return fingerprint(self.method, self.path, self.body, secrets=self.secrets, salt=salt)


def idempotency(*, secrets: Collection[str] = ()) -> Callable[..., object]:
    """The dependency that reads a request's Idempotency-Key (declared in the OpenAPI).
    `secrets`: body fields that are stretched before they go into the fingerprint."""

    async def read(request: Request, key: IdempotencyKeyHeader = None) -> Idempotency:
        database: Database = request.app.state.components.get(Database)
        return Idempotency(
            key=key,
            method=request.method,
            path=request.url.path,
            body=await request.body() if key is not None else b"",
            client=request.client.host if request.client else "unknown",
            retention=database.settings.idempotency_retention,
            secrets=tuple(secrets),
        )

    return read


Idempotent = Annotated[Idempotency, Depends(idempotency())]
"""A create route's Idempotency-Key: `await idempotency.answer_in(tx, create, status=201)`."""


def _encoded(model: BaseModel) -> bytes:
    # As FastAPI serializes a returned model: by alias, in JSON mode.
    return model.model_dump_json(by_alias=True).encode()


def _json(body: bytes, status: int) -> Response:
    return Response(body, status_code=status, media_type="application/json")
