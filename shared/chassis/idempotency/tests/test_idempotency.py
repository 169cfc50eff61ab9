"""One answer per caller's key, one effect, on the database the services use."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from starlette.responses import Response

from chassis.db import Database, UnitOfWork, next_id
from chassis.idempotency import (
    Idempotency,
    IdempotencyKeyReused,
    idempotency_table,
    purge,
    purge_now_and_then,
)
from chassis.idempotency.tests.conftest import pumps


class PumpPublic(BaseModel):
    id: int
    name: str


def asked(name: str, *, key: str | None = "k-1", client: str = "10.0.0.1") -> Idempotency:
    """A request that creates pump `name`, from `client` (no token), under `key`."""
    body = json.dumps({"name": name}).encode()
    return Idempotency(
        key=key, method="POST", path="/v1/pumps", body=body, client=client, retention=3600.0
    )


def create(database: Database, request: Idempotency) -> Response:
    name = json.loads(request.body)["name"] if request.body else "unnamed"

    def install(uow: UnitOfWork) -> PumpPublic:
        pump = PumpPublic(id=next_id(), name=name)
        uow.insert(pumps, pump.model_dump())
        return pump

    with database.unit_of_work() as uow:
        return request.answer(uow, lambda: install(uow), status=201)


def pump_count(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(pumps)).scalar_one())


def test_fifty_identical_requests_at_once_make_one_pump_and_get_one_answer(
    database: Database,
) -> None:
    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: create(database, asked("P-1")), range(50)))

    assert pump_count(database) == 1
    assert {(a.status_code, a.body) for a in answers} == {(201, answers[0].body)}


def test_a_retry_gets_the_first_answer_byte_for_byte(database: Database) -> None:
    first = create(database, asked("P-1"))
    again = create(database, asked("P-1"))

    assert (again.status_code, again.body) == (201, first.body)
    assert pump_count(database) == 1


def test_a_retry_may_be_answered_with_another_status(database: Database) -> None:
    create(database, asked("P-1"))
    with database.unit_of_work() as uow:
        again = asked("P-1").answer(uow, lambda: PumpPublic(id=0, name="x"), status=201,
                                    replay_status=200)  # fmt: skip

    assert again.status_code == 200


def test_the_same_key_with_another_body_is_refused_with_422(database: Database) -> None:
    create(database, asked("P-1"))

    with pytest.raises(IdempotencyKeyReused) as refused:
        create(database, asked("P-2"))

    assert refused.value.status == 422
    assert pump_count(database) == 1


def test_the_same_key_on_another_endpoint_is_refused(database: Database) -> None:
    create(database, asked("P-1"))
    elsewhere = asked("P-1")
    elsewhere = Idempotency(**{**elsewhere.__dict__, "path": "/v1/valves"})

    with pytest.raises(IdempotencyKeyReused):
        create(database, elsewhere)


def test_the_same_key_of_another_caller_is_theirs(database: Database) -> None:
    mine = create(database, asked("P-1", client="10.0.0.1"))
    theirs = create(database, asked("P-2", client="10.0.0.2"))

    assert json.loads(bytes(theirs.body))["name"] == "P-2"
    assert json.loads(bytes(mine.body))["id"] != json.loads(bytes(theirs.body))["id"]
    assert pump_count(database) == 2


def test_without_a_key_every_request_creates(database: Database) -> None:
    create(database, asked("P-1", key=None))
    create(database, asked("P-1", key=None))

    assert pump_count(database) == 2


def test_a_failure_that_no_earlier_answer_explains_is_raised(database: Database) -> None:
    def broken() -> PumpPublic:
        raise RuntimeError("the pump is on fire")

    with database.unit_of_work() as uow, pytest.raises(RuntimeError, match="on fire"):
        asked("P-1").answer(uow, broken, status=201)
    assert create(database, asked("P-1")).status_code == 201  # the key was not used up


def test_a_secret_in_the_body_is_not_stored_as_a_plain_digest(database: Database) -> None:
    body = json.dumps({"name": "P-1", "password": "pumps hum at dawn"}).encode()
    plain = Idempotency("k", "POST", "/v1/pumps", body, "10.0.0.1", 3600.0)
    secret = Idempotency("k", "POST", "/v1/pumps", body, "10.0.0.1", 3600.0, ("password",))

    assert plain._fingerprint("c") != secret._fingerprint("c")
    assert secret._fingerprint("c") == secret._fingerprint("c")  # still equal for a retry


def test_answers_older_than_the_retention_are_purged(database: Database) -> None:
    create(database, asked("P-1", key="old"))
    create(database, asked("P-2", key="new"))
    with database.engine.begin() as conn:
        long_ago = datetime.now(UTC) - timedelta(days=2)
        conn.execute(
            sa.update(idempotency_table)
            .where(idempotency_table.c.key == "old")
            .values(created_at=long_ago)
        )
        assert purge(conn, older_than=24 * 3600) == 1
        keys = conn.execute(sa.select(idempotency_table.c.key)).scalars().all()

    assert keys == ["new"]


def test_a_write_purges_expired_answers(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(
            sa.insert(idempotency_table).values(
                caller="address:10.0.0.9",
                key="old",
                fingerprint="0" * 64,
                status=201,
                body=b"{}",
                created_at=datetime(2000, 1, 1, tzinfo=UTC),
            )
        )

    create(database, asked("P-1", key="new"))  # the first write on this engine: purge is due

    with database.engine.connect() as conn:
        keys = conn.execute(sa.select(idempotency_table.c.key)).scalars().all()
    assert keys == ["new"]


def test_purges_are_spaced_out(database: Database) -> None:
    create(database, asked("P-1", key="first"))  # purged just now
    with database.engine.begin() as conn:
        conn.execute(
            sa.update(idempotency_table).values(created_at=datetime(2000, 1, 1, tzinfo=UTC))
        )

    purge_now_and_then(database.engine, older_than=3600)

    with database.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(idempotency_table)).scalar() == 1
