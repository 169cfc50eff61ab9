"""The demo data a fresh fleet starts with: three accounts, one per role, and a few devices."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import httpx

# The sample service the demo devices are registered with, and the module its pex carries that
# makes them publish telemetry (the simulator, run through that pex: PEX_MODULE). A fleet without
# it starts with the demo accounts only.
DEVICE_REGISTRY = "devices"
SIMULATOR_MODULE = "devices.simulator"
# (username, role). admin comes from `users create-admin`; the others register, and the admin
# promotes the operator (self-registration always makes a technician).
DEMO_ACCOUNTS = (("admin", "admin"), ("operator", "operator"), ("technician", "technician"))
# Every demo device alarms above 80 degrees, which the simulator crosses now and then, so a
# fresh fleet soon shows the whole story: alarm, task, assignment, resolution.
DEMO_DEVICES: tuple[dict[str, Any], ...] = (
    {"name": "pump-1", "kind": "pump", "site": "north", "location": "hall A",
     "thresholds": {"temperature": {"high": 80, "high_clear": 75}}},
    {"name": "pump-2", "kind": "pump", "site": "north", "location": "hall B",
     "thresholds": {"temperature": {"high": 80, "high_clear": 75}}},
    {"name": "sensor-1", "kind": "sensor", "site": "south", "location": "tank 3",
     "thresholds": {"temperature": {"high": 80, "high_clear": 75},
                    "pressure": {"high": 8.0, "high_clear": 7.0, "low": 1.0, "low_clear": 1.5}}},
)  # fmt: skip


class DemoError(Exception):
    """The demo data could not be set up; the message says what and why."""


def email_of(username: str) -> str:
    return f"{username}@fleet.example.com"


def demo_password(explicit: str | None, state_dir: Path) -> tuple[str, bool]:
    """FLEET_DEMO_PASSWORD, else the one generated on the first run (kept in the state folder,
    as the accounts are); and whether it was generated just now, so it is printed once."""
    if explicit:
        return explicit, False
    saved = state_dir / "demo-password"
    if saved.exists():
        return saved.read_text().strip(), False
    password = secrets.token_urlsafe(12)
    saved.touch(mode=0o600)
    saved.write_text(password + "\n")
    return password, True


async def seed_accounts(client: httpx.AsyncClient, users: str, password: str) -> None:
    """Make sure operator and technician exist with their roles (admin exists already)."""
    admin = await login(client, users, "admin", password)
    for username, role in DEMO_ACCOUNTS[1:]:
        account = await _ensure_registered(client, users, admin, username, password)
        if account["role"] != role:
            response = await client.patch(
                f"{users}/v1/users/{account['id']}", json={"role": role}, headers=admin
            )
            expect(response, f"giving {username} the role {role}")


async def seed_devices(
    client: httpx.AsyncClient, devices: str, auth: dict[str, str]
) -> tuple[list[str], int]:
    """Register the demo devices that are not registered yet; all their ids, and how many were
    added now."""
    response = await client.get(f"{devices}/v1/devices", params={"limit": 500}, headers=auth)
    expect(response, "listing devices")
    known = {device["name"]: str(device["id"]) for device in response.json()["items"]}
    added = 0
    for device in DEMO_DEVICES:
        if device["name"] in known:
            continue
        key = {"Idempotency-Key": f"fleet-demo-{device['name']}"}
        response = await client.post(f"{devices}/v1/devices", json=device, headers={**auth, **key})
        expect(response, f"registering device {device['name']}")
        known[device["name"]] = str(response.json()["id"])
        added += 1
    return [known[d["name"]] for d in DEMO_DEVICES], added


async def login(
    client: httpx.AsyncClient, users: str, username: str, password: str
) -> dict[str, str]:
    """The Authorization header of `username`'s access token."""
    response = await client.post(
        f"{users}/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )
    if response.status_code == 401:
        raise DemoError(
            f"{username} exists with another password than this run's demo password: set "
            "FLEET_DEMO_PASSWORD to the one it was created with, or delete the fleet's data "
            "(./fleet down; rm -r .fleet) to start over"
        )
    expect(response, f"logging in as {username}")
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _ensure_registered(
    client: httpx.AsyncClient, users: str, admin: dict[str, str], username: str, password: str
) -> dict[str, Any]:
    body = {"username": username, "email": email_of(username), "password": password}
    response = await client.post(f"{users}/v1/users", json=body)
    if response.status_code != 409:
        expect(response, f"registering {username}")
        created: dict[str, Any] = response.json()
        return created
    cursor: str | None = None
    while True:  # it exists: find it (the API lists, it does not search by name)
        params: dict[str, str | int] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"{users}/v1/users", params=params, headers=admin)
        expect(response, "listing users")
        page = response.json()
        for account in page["items"]:
            if account["username"] == username:
                found: dict[str, Any] = account
                return found
        cursor = page.get("next_cursor")
        if not cursor:
            raise DemoError(f"users says {username} exists but does not list it")


def expect(response: httpx.Response, doing: str) -> None:
    """Raise DemoError saying what failed, unless `response` is a success."""
    if response.is_success:
        return
    raise DemoError(f"{doing} failed: {response.status_code} {response.text[:300]}")
