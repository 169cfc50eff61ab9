"""Creates under an Idempotency-Key: one device or command per caller's key, however many
copies of the request arrive at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from chassis.db import DatabaseSettings, create_engine
from chassis.testing import TokenIssuer
from devices.adapters.sql.tables import CommandRow
from devices.tests.integration.conftest import DevicesApps, register

pytestmark = pytest.mark.usefixtures("token_issuer")


@pytest.fixture
async def client(apps: DevicesApps) -> AsyncIterator[httpx.AsyncClient]:
    async with apps.serving() as client:
        yield client


@pytest.fixture
def site() -> str:
    return f"idem-{uuid.uuid4().hex[:10]}"


async def fifty(
    client: httpx.AsyncClient, url: str, body: object, headers: dict[str, str]
) -> list[httpx.Response]:
    return await asyncio.gather(*(client.post(url, json=body, headers=headers) for _ in range(50)))


async def test_a_retry_with_the_same_key_gets_the_first_device(
    client: httpx.AsyncClient, operator_headers: dict[str, str], site: str
) -> None:
    headers = operator_headers | {"Idempotency-Key": f"create-{site}"}
    body = {"name": "P-1", "kind": "pump", "site": site}
    first = await client.post("/v1/devices", json=body, headers=headers)
    again = await client.post("/v1/devices", json=body, headers=headers)

    assert (again.status_code, again.content) == (201, first.content)


async def test_fifty_identical_registrations_at_once_make_one_device(
    client: httpx.AsyncClient, operator_headers: dict[str, str], site: str
) -> None:
    headers = operator_headers | {"Idempotency-Key": f"register-{site}"}

    answers = await fifty(
        client, "/v1/devices", {"name": "P-1", "kind": "pump", "site": site}, headers
    )

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    listed = await client.get("/v1/devices", params={"site": site}, headers=operator_headers)
    assert [d["id"] for d in listed.json()["items"]] == [answers[0].json()["id"]]


async def test_fifty_identical_commands_at_once_queue_one(
    client: httpx.AsyncClient, operator_headers: dict[str, str], site: str, database_url: str
) -> None:
    device = await register(client, operator_headers, site=site)
    headers = operator_headers | {"Idempotency-Key": f"command-{site}"}
    body = {"name": "set_interval", "args": {"seconds": 5}}

    answers = await fifty(client, f"/v1/devices/{device}/commands", body, headers)

    assert {a.status_code for a in answers} == {202}
    assert len({a.content for a in answers}) == 1
    engine = create_engine(DatabaseSettings(url=database_url))
    with engine.connect() as conn:
        count = sa.select(sa.func.count()).where(col(CommandRow.device_id) == int(device))
        assert conn.execute(count.select_from(CommandRow)).scalar_one() == 1
    engine.dispose()


async def test_the_same_key_with_another_body_is_refused_with_422(
    client: httpx.AsyncClient, operator_headers: dict[str, str], site: str
) -> None:
    headers = operator_headers | {"Idempotency-Key": f"reused-{site}"}
    await client.post(
        "/v1/devices", json={"name": "P-1", "kind": "pump", "site": site}, headers=headers
    )

    again = await client.post(
        "/v1/devices", json={"name": "P-2", "kind": "pump", "site": site}, headers=headers
    )

    assert again.status_code == 422
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"] == "urn:fleet:problem:idempotency-key-reused"


async def test_another_callers_same_key_is_their_own(
    client: httpx.AsyncClient,
    operator_headers: dict[str, str],
    token_issuer: TokenIssuer,
    site: str,
) -> None:
    key = {"Idempotency-Key": f"shared-{site}"}
    other = {"Authorization": f"Bearer {token_issuer.mint('8', role='operator')}"}

    mine = await client.post(
        "/v1/devices",
        json={"name": "P-1", "kind": "pump", "site": site},
        headers=operator_headers | key,
    )
    theirs = await client.post(
        "/v1/devices", json={"name": "V-1", "kind": "valve", "site": site}, headers=other | key
    )

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["name"] == "V-1"
    assert theirs.json()["id"] != mine.json()["id"]
