"""Devices online/offline and the open alarms with their tasks, from the devices and tasks APIs.

The panel is a view of the sample fleet's domain: it shows when a service of the fleet serves a
device registry (DEVICES_API, found in the services' OpenAPI documents: fleet_monitor.apis), and
a task's status when one serves TASK_API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx

from fleet_monitor.apis import ApiDirectory
from fleet_monitor.tokens import TokenSource, TokenUnavailable

DEVICES_API = "/v1/devices"
TASK_API = "/v1/tasks/{task_id}"
PANEL = "devices"  # the panel's key in /fleet.json
_PAGE = 500
_MAX_PAGES = 20  # 10,000 devices per state: past that the page says "at least"


@dataclass(frozen=True)
class AlarmRow:
    alarm: str
    device: str
    metric: str
    value: float
    threshold: float
    raised_at: str
    task: str  # the task id, or "" until the alarm's task is opened
    task_status: str


@dataclass(frozen=True)
class DeviceSummary:
    """What the devices panel shows; `note` explains whatever could not be shown."""

    online: int | None = None
    offline: int | None = None
    capped: bool = False
    alarms: list[AlarmRow] | None = None
    note: str = ""
    alarms_note: str = ""
    names: dict[str, str] = field(default_factory=dict)
    shown: bool = True  # False: no service of the fleet serves a device registry


async def devices_panel(
    apis: ApiDirectory, tokens: TokenSource, client: httpx.AsyncClient
) -> DeviceSummary:
    """The panel, from whichever services serve a device registry and tasks; when none serves a
    registry (and every service has answered, so none will), the panel is not shown."""
    await apis.refresh()
    registry = apis.serving(DEVICES_API)
    if registry is None:
        waiting = "" if apis.complete else " (yet: not every service has answered)"
        note = f"no service of the fleet serves {DEVICES_API}{waiting}"
        return DeviceSummary(note=note, shown=not apis.complete)
    return await DevicesSource(registry, apis.serving(TASK_API), tokens, client).summary()


class _Refused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class DevicesSource:
    def __init__(
        self,
        devices_url: str,
        tasks_url: str | None,
        tokens: TokenSource,
        client: httpx.AsyncClient,
    ) -> None:
        self._devices = devices_url
        self._tasks = tasks_url
        self._tokens = tokens
        self._client = client

    async def summary(self) -> DeviceSummary:
        if not self._tokens.configured:
            return DeviceSummary(note="needs a token: start with --token or --username/--password")
        try:
            token = await self._tokens.token()
            (online, on_capped, names), (offline, off_capped, more) = await asyncio.gather(
                self._count(token, online=True), self._count(token, online=False)
            )
        except TokenUnavailable as exc:
            return DeviceSummary(note=str(exc))
        except _Refused as exc:
            if exc.status == 401:
                self._tokens.forget()
            return DeviceSummary(note=f"devices API answered {exc}")
        except httpx.HTTPError as exc:
            return DeviceSummary(note=f"devices API unreachable ({type(exc).__name__})")
        names |= more
        alarms, alarms_note = await self._alarms(token, names)
        return DeviceSummary(
            online, offline, on_capped or off_capped, alarms, alarms_note=alarms_note, names=names
        )

    async def _count(self, token: str, *, online: bool) -> tuple[int, bool, dict[str, str]]:
        count, cursor, names = 0, None, {}
        for _ in range(_MAX_PAGES):
            params: dict[str, Any] = {"online": str(online).lower(), "limit": _PAGE}
            if cursor:
                params["cursor"] = cursor
            page = await self._get(f"{self._devices}{DEVICES_API}", token, params)
            items = page.get("items", [])
            count += len(items)
            names.update({str(d["id"]): str(d.get("name", d["id"])) for d in items})
            cursor = page.get("next_cursor")
            if not cursor:
                return count, False, names
        return count, True, names

    async def _alarms(self, token: str, names: dict[str, str]) -> tuple[list[AlarmRow] | None, str]:
        try:
            page = await self._get(
                f"{self._devices}/v1/alarms", token, {"state": "raised", "limit": 50}
            )
        except _Refused as exc:
            if exc.status in (404, 405):
                return None, "this devices service has no /v1/alarms yet"
            return None, f"alarms: devices API answered {exc}"
        except httpx.HTTPError as exc:
            return None, f"alarms unreachable ({type(exc).__name__})"
        items = page.get("items", [])
        statuses = await asyncio.gather(
            *(self._task_status(token, a.get("task_id")) for a in items)
        )
        return [
            AlarmRow(
                alarm=str(a["id"]),
                device=names.get(str(a["device_id"]), str(a["device_id"])),
                metric=str(a.get("metric", "")),
                value=float(a.get("value", 0.0)),
                threshold=float(a.get("threshold", 0.0)),
                raised_at=str(a.get("raised_at", "")),
                task=str(a.get("task_id") or ""),
                task_status=status,
            )
            for a, status in zip(items, statuses, strict=True)
        ], ""

    async def _task_status(self, token: str, task_id: object) -> str:
        if not task_id:
            return "not opened yet"
        if self._tasks is None:
            return "?"
        try:
            task = await self._get(f"{self._tasks}{TASK_API.format(task_id=task_id)}", token, {})
        except (_Refused, httpx.HTTPError) as exc:
            return f"unknown ({exc or type(exc).__name__})"
        return str(task.get("status", "?"))

    async def _get(self, url: str, token: str, params: dict[str, Any]) -> dict[str, Any]:
        response = await self._client.get(
            url, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code != 200:
            raise _Refused(response.status_code)
        body = response.json()
        return body if isinstance(body, dict) else {}
