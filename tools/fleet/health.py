"""Readiness of the services: one probe, or waiting until every one answers 200."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Readiness:
    """What GET /health/ready said: the HTTP status (None: no answer) and a short summary."""

    name: str
    url: str
    status: int | None
    summary: str

    @property
    def ready(self) -> bool:
        return self.status == 200


async def probe(
    client: httpx.AsyncClient, name: str, url: str, path: str = "/health/ready"
) -> Readiness:
    try:
        response = await client.get(f"{url}{path}", timeout=2.0)
    except httpx.HTTPError as exc:
        return Readiness(name, url, None, f"no answer ({type(exc).__name__})")
    return Readiness(name, url, response.status_code, _summary(response))


class NotReady(Exception):
    """A service did not become ready in time; the message names it and what it last said."""


async def wait_ready(
    client: httpx.AsyncClient,
    services: Sequence[tuple[str, str]],
    *,
    within: float,
    on_ready: Callable[[Readiness], None],
    interval: float = 0.25,
    path: str = "/health/ready",
) -> None:
    """Return once every (name, url) answers 200 on `path`, or raise NotReady."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    pending = dict(services)
    last: dict[str, Readiness] = {}
    while pending:
        answers = await asyncio.gather(*(probe(client, n, u, path) for n, u in pending.items()))
        for answer in answers:
            last[answer.name] = answer
            if answer.ready:
                del pending[answer.name]
                on_ready(answer)
        if not pending:
            return
        if loop.time() >= deadline:
            waiting = "; ".join(f"{n}: {last[n].summary}" for n in pending)
            raise NotReady(f"not ready after {within:g} s: {waiting}")
        await asyncio.sleep(interval)


def _summary(response: httpx.Response) -> str:
    """`200 ready`, or `503 not_ready (down: database, mqtt)` (chassis.app's readiness body)."""
    try:
        body = response.json()
    except ValueError:
        return str(response.status_code)
    if not isinstance(body, dict):
        return str(response.status_code)
    dependencies = body.get("dependencies")
    down = [
        name
        for name, state in (dependencies.items() if isinstance(dependencies, dict) else ())
        if isinstance(state, dict) and state.get("status") != "up"
    ]
    text = f"{response.status_code} {body.get('status', '')}".strip()
    return text + (f" (down: {', '.join(down)})" if down else "")
