"""The registry API: create, read, filter, page, change, decommission; auth and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from chassis.testing import TokenIssuer
from devices.tests.integration.conftest import DevicesApps, register

pytestmark = pytest.mark.usefixtures("token_issuer")


@pytest.fixture
async def client(apps: DevicesApps) -> AsyncIterator[httpx.AsyncClient]:
    async with apps.serving() as client:
        yield client


async def test_registers_a_device_with_thresholds(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    body = {
        "name": "P-1",
        "kind": "pump",
        "site": "north",
        "location": "hall 2",
        "thresholds": {"temperature": {"high": 80, "high_clear": 75}},
    }
    response = await client.post("/v1/devices", json=body, headers=operator_headers)
    assert response.status_code == 201
    device = response.json()
    assert isinstance(device["id"], str)
    assert device["thresholds"]["temperature"]["high_clear"] == 75
    assert (device["status"], device["online"]) == ("active", False)


async def test_lists_devices_filtered_by_site_and_kind_in_pages(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    site = "site-pages"
    ids = [await register(client, operator_headers, site=site, kind="valve") for _ in range(3)]
    await register(client, operator_headers, site=site, kind="pump")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"site": site, "kind": "valve", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v1/devices", params=params, headers=operator_headers)).json()
        seen += [d["id"] for d in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == ids


async def test_patch_changes_the_thresholds(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    device_id = await register(client, operator_headers)
    body = {"thresholds": {"pressure": {"low": 1.0, "low_clear": 1.5}}}
    response = await client.patch(f"/v1/devices/{device_id}", json=body, headers=operator_headers)
    assert response.json()["thresholds"] == {
        "pressure": {"high": None, "high_clear": None, "low": 1.0, "low_clear": 1.5}
    }


async def test_decommissioning_keeps_the_device_and_refuses_changes(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    device_id = await register(client, operator_headers)
    gone = await client.delete(f"/v1/devices/{device_id}", headers=operator_headers)
    kept = await client.get(f"/v1/devices/{device_id}", headers=operator_headers)
    refused = await client.patch(
        f"/v1/devices/{device_id}", json={"name": "x"}, headers=operator_headers
    )
    assert gone.json()["status"] == kept.json()["status"] == "decommissioned"
    assert refused.status_code == 409


async def test_inconsistent_thresholds_are_refused_with_the_field(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    body = {"name": "P", "kind": "pump", "site": "n", "thresholds": {"t": {"high": 1, "low": 5}}}
    response = await client.post("/v1/devices", json=body, headers=operator_headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_text_with_a_nul_character_is_refused_naming_the_field(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    body = {"name": "P", "kind": "pump\x00", "site": "n"}
    created = await client.post("/v1/devices", json=body, headers=operator_headers)
    listed = await client.get("/v1/devices?site=n%00", headers=operator_headers)
    assert (created.status_code, listed.status_code) == (422, 422)
    assert "kind" in created.text
    assert "site" in listed.text


async def test_an_unknown_device_is_a_404_problem(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    response = await client.get("/v1/devices/12345", headers=operator_headers)
    assert response.status_code == 404


async def test_a_technician_may_read_but_not_register(
    client: httpx.AsyncClient, token_issuer: TokenIssuer
) -> None:
    headers = {"Authorization": f"Bearer {token_issuer.mint('9', role='technician')}"}
    listed = await client.get("/v1/devices", headers=headers)
    created = await client.post("/v1/devices", json={}, headers=headers)
    assert (listed.status_code, created.status_code) == (200, 403)


async def test_a_request_without_a_token_is_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/devices")).status_code == 401


async def test_a_cursor_no_page_could_issue_is_a_422_naming_it(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    response = await client.get("/v1/devices?cursor=abc", headers=operator_headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.cursor"]


@pytest.mark.parametrize("path", ["/v1/devices", "/v1/alarms"])
async def test_a_cursor_past_the_largest_id_is_an_empty_last_page(
    client: httpx.AsyncClient, operator_headers: dict[str, str], path: str
) -> None:
    # 19 digits fit the cursor's pattern but not a bigint: the fuzzer found this a 500.
    response = await client.get(path, params={"cursor": "9" * 19}, headers=operator_headers)
    assert response.status_code == 200, response.text
    assert (response.json()["items"], response.json()["next_cursor"]) == ([], None)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
async def test_a_threshold_that_is_not_a_finite_number_is_refused(
    client: httpx.AsyncClient, operator_headers: dict[str, str], number: str
) -> None:
    # Written by hand: Python's JSON encoder would not send NaN as a client might.
    template = '{"name": "P", "kind": "pump", "site": "n", "thresholds": {"t": {"high": N}}}'
    body = template.replace("N", number)
    headers = operator_headers | {"Content-Type": "application/json"}
    response = await client.post("/v1/devices", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.thresholds.t.high"]


async def test_a_threshold_on_a_metric_telemetry_cannot_carry_is_refused(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    body = {"name": "P", "kind": "pump", "site": "n", "thresholds": {"m" * 101: {"high": 1}}}
    response = await client.post("/v1/devices", json=body, headers=operator_headers)
    assert response.status_code == 422, response.text


async def test_command_args_that_are_not_finite_numbers_are_refused(
    client: httpx.AsyncClient, operator_headers: dict[str, str]
) -> None:
    device = await register(client, operator_headers)
    headers = operator_headers | {"Content-Type": "application/json"}
    body = '{"name": "set_interval", "args": {"seconds": [1, NaN]}}'
    response = await client.post(f"/v1/devices/{device}/commands", content=body, headers=headers)
    assert response.status_code == 422, response.text
