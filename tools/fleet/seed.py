"""`fleet seed`: the demo data on a running fleet, again, and as much more as asked for.

Everything goes through the public APIs, as a user's own scripts would: the demo accounts and
devices (`demo`), then `--devices N` devices named `seed-<n>` and `--tasks N` tasks labelled
`seed`. Running it again adds only what is missing: devices are found by name, seeded tasks are
counted by their label, and each create carries an Idempotency-Key of its own, so a retried
request never makes two.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from fleet import demo

# The sample services whose APIs seeding drives: it needs all three running.
SERVICES = ("users", "tasks", "devices")
SEED_LABEL = "seed"
_PRIORITIES = ("low", "normal", "high", "urgent")
_KINDS = ("pump", "sensor", "valve")
_SITES = ("north", "south", "east", "west")
_PAGE = 200
_AT_ONCE = 16  # requests in flight: enough to be quick, few enough for a laptop's fleet


@dataclass(frozen=True)
class SeedPlan:
    devices: int = 0
    tasks: int = 0


@dataclass(frozen=True)
class Seeded:
    """How many of each the fleet has after seeding, and how many this run added."""

    devices: int
    devices_added: int
    tasks: int
    tasks_added: int


Progress = Callable[[int], None]  # how many more of the plan's devices and tasks are done


async def seed(
    client: httpx.AsyncClient,
    urls: dict[str, str],
    password: str,
    plan: SeedPlan,
    progress: Progress,
) -> Seeded:
    """The demo accounts and devices, then the plan's devices and tasks (as the operator)."""
    await demo.seed_accounts(client, urls["users"], password)
    operator = await demo.login(client, urls["users"], "operator", password)
    await demo.seed_devices(client, urls["devices"], operator)
    names = {
        d["name"]: d["id"] async for d in _all(client, f"{urls['devices']}/v1/devices", operator)
    }
    wanted = [f"seed-{n:05d}" for n in range(plan.devices)]
    missing = [name for name in wanted if name not in names]
    progress(len(wanted) - len(missing))  # there already
    registered = await _each(
        missing, lambda name: _register(client, urls, operator, name), progress
    )
    names.update(zip(missing, registered, strict=True))
    devices = [names[name] for name in wanted]

    tasks_url = f"{urls['tasks']}/v1/tasks"
    have = [t async for t in _all(client, tasks_url, operator, {"label": SEED_LABEL})]
    todo = range(len(have), plan.tasks)
    progress(plan.tasks - len(todo))
    await _each(todo, lambda n: _create_task(client, tasks_url, operator, n, devices), progress)
    return Seeded(
        devices=len(wanted),
        devices_added=len(missing),
        tasks=max(len(have), plan.tasks),
        tasks_added=len(todo),
    )


async def _register(
    client: httpx.AsyncClient, urls: dict[str, str], auth: dict[str, str], name: str
) -> str:
    n = int(name.rsplit("-", 1)[1])
    body = {
        "name": name,
        "kind": _KINDS[n % len(_KINDS)],
        "site": _SITES[n % len(_SITES)],
        "location": f"line {n % 12 + 1}",
        "thresholds": {"temperature": {"high": 80, "high_clear": 75}},
    }
    key = {"Idempotency-Key": f"fleet-seed-device-{name}"}
    response = await client.post(f"{urls['devices']}/v1/devices", json=body, headers=auth | key)
    demo.expect(response, f"registering device {name}")
    return str(response.json()["id"])


async def _create_task(
    client: httpx.AsyncClient, url: str, auth: dict[str, str], n: int, devices: Sequence[str]
) -> None:
    body: dict[str, Any] = {
        "title": f"Seeded task {n + 1}",
        "priority": _PRIORITIES[n % len(_PRIORITIES)],
        "labels": [SEED_LABEL],
    }
    if devices:
        body["device_id"] = devices[n % len(devices)]
    key = {"Idempotency-Key": f"fleet-seed-task-{n}"}
    demo.expect(await client.post(url, json=body, headers=auth | key), f"creating task {n + 1}")


async def _each(
    items: Sequence[Any], work: Callable[[Any], Awaitable[Any]], progress: Progress
) -> list[Any]:
    """`work` on every item, `_AT_ONCE` at a time; the results in the items' order."""
    gate = asyncio.Semaphore(_AT_ONCE)

    async def one(item: Any) -> Any:
        async with gate:
            result = await work(item)
        progress(1)
        return result

    return list(await asyncio.gather(*(one(item) for item in items)))


async def _all(
    client: httpx.AsyncClient,
    url: str,
    auth: dict[str, str],
    params: dict[str, str] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        query: dict[str, str | int] = {**(params or {}), "limit": _PAGE}
        if cursor:
            query["cursor"] = cursor
        response = await client.get(url, params=query, headers=auth)
        demo.expect(response, f"listing {url}")
        page = response.json()
        for item in page["items"]:
            yield item
        cursor = page.get("next_cursor")
        if not cursor:
            return
