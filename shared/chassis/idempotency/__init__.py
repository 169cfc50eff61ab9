"""Idempotency-Key for the routes that create: one answer per caller's key, one effect.

A create route takes the key through `Idempotent` (the header, declared in the OpenAPI) and
answers through it; the effect and the stored answer commit in one transaction:

>>> @router.post("", status_code=201, response_model=DevicePublic)
... async def create_device(body: DeviceCreate, tx: Tx, idempotency: Idempotent) -> Response:
...     return await idempotency.answer_in(
...         tx, lambda work: DevicePublic.of(register(..., devices=work.devices)), status=201
...     )
>>> # on a unit of work of your own, in a worker thread: idempotency.answer(uow, create, ...)

- Scope: a key belongs to its caller (the token's subject; without a token, the client's
  address), so two callers never see each other's answers.
- Fingerprint: SHA-256 of the method, path and JSON body (secret fields stretched with scrypt).
  A retry with the same fingerprint gets the first answer (status and body, byte for byte); the
  same key with another one is refused, 422 problem+json (`IdempotencyKeyReused`).
- Concurrency: the answer's row (primary key: caller, key) commits with the effect, so of any
  number of identical requests at once exactly one commits; the others roll back and replay it.
- Retention: `database.idempotency_retention` (24 h); writes delete older answers now and then.

The table belongs to each service's migrations, like the outbox's:

>>> run_migrations([SQLModel.metadata, outbox.metadata, idempotency.metadata])   # env.py
>>> def upgrade() -> None:
...     create_idempotency_table()
"""

from chassis.idempotency.fingerprint import fingerprint
from chassis.idempotency.migration import create_idempotency_table, drop_idempotency_table
from chassis.idempotency.requests import (
    Idempotency,
    IdempotencyKeyHeader,
    IdempotencyKeyReused,
    Idempotent,
    idempotency,
)
from chassis.idempotency.store import Answer, Stored, purge, purge_now_and_then, stored
from chassis.idempotency.tables import idempotency_table, metadata

__all__ = [
    "Answer",
    "Idempotency",
    "IdempotencyKeyHeader",
    "IdempotencyKeyReused",
    "Idempotent",
    "Stored",
    "create_idempotency_table",
    "drop_idempotency_table",
    "fingerprint",
    "idempotency",
    "idempotency_table",
    "metadata",
    "purge",
    "purge_now_and_then",
    "stored",
]
