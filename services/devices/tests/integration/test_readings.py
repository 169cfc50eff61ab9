"""The readings API: raw points, min/avg/max buckets from the .sql file, and the latest state."""

from __future__ import annotations

import json

import sqlalchemy as sa

from chassis.testing import BrokerAddress
from devices.tests.integration.conftest import (
    DevicesApps,
    device_bus,
    register,
    until_stored,
)

T0 = 1_717_243_200  # 2024-06-01T12:00:00Z
WINDOW = {"from": "2024-06-01T12:00:00Z", "to": "2024-06-01T12:05:00Z"}


async def test_readings_come_raw_in_pages_and_bucketed_per_minute(
    apps: DevicesApps,
    mqtt_broker: BrokerAddress,
    mqtt_namespace: str,
    mqtt_client_id: str,
    operator_headers: dict[str, str],
    db_engine: sa.Engine,
) -> None:
    values = [(0, 10.0), (30, 20.0), (60, 5.0), (90, 7.0)]
    payload = [{"ts": T0 + s, "metrics": {"temp": v, "rpm": 1}} for s, v in values]
    async with (
        apps.serving() as client,
        device_bus(mqtt_broker.url, mqtt_client_id) as sim,
    ):
        device = await register(client, operator_headers)
        await sim.publish(f"{mqtt_namespace}/fleet/devices/{device}/telemetry", json.dumps(payload))
        await until_stored(db_engine, device, 8)
        url = f"/v1/devices/{device}/readings"
        page = await client.get(
            url, params={**WINDOW, "metric": "temp", "limit": 3}, headers=operator_headers
        )
        rest = await client.get(
            url,
            params={**WINDOW, "metric": "temp", "cursor": page.json()["next_cursor"]},
            headers=operator_headers,
        )
        buckets = await client.get(
            url, params={**WINDOW, "metric": "temp", "bucket": "1m"}, headers=operator_headers
        )
        state = await client.get(f"/v1/devices/{device}/state", headers=operator_headers)
    assert [p["value"] for p in page.json()["items"] + rest.json()["items"]] == [10, 20, 5, 7]
    assert [(b["min"], b["avg"], b["max"], b["count"]) for b in buckets.json()["buckets"]] == [
        (10, 15, 20, 2),
        (5, 6, 7, 2),
    ]
    assert state.json()["metrics"]["temp"]["value"] == 7


async def test_a_window_that_ends_before_it_starts_is_a_400(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device = await register(client, operator_headers)
        params = {"from": WINDOW["to"], "to": WINDOW["from"]}
        response = await client.get(
            f"/v1/devices/{device}/readings", params=params, headers=operator_headers
        )
    assert response.status_code == 400


async def test_an_unknown_bucket_size_is_a_422_naming_it(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device = await register(client, operator_headers)
        response = await client.get(
            f"/v1/devices/{device}/readings", params={"bucket": "7y"}, headers=operator_headers
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.bucket"]


async def test_a_time_given_as_a_number_is_a_422_not_read_as_unix_time(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device = await register(client, operator_headers)
        response = await client.get(
            f"/v1/devices/{device}/readings",
            params={"from": "1717243200"},
            headers=operator_headers,
        )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.from"]


async def test_a_cursor_past_the_largest_timestamp_is_an_empty_last_page(
    apps: DevicesApps, operator_headers: dict[str, str]
) -> None:
    async with apps.serving() as client:
        device = await register(client, operator_headers)
        response = await client.get(
            f"/v1/devices/{device}/readings",
            params={**WINDOW, "cursor": f"{'9' * 19}:temp"},
            headers=operator_headers,
        )
    assert response.status_code == 200, response.text
    assert (response.json()["items"], response.json()["next_cursor"]) == ([], None)
