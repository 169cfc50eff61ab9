"""`fleet seed` on a running fleet (the local fleet's own SQLite and broker): the data asked
for, through the public APIs, and again adds only what is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fleet.tests.running import RunningFleet, running_fleet


@pytest.fixture(scope="module")
def fleet(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFleet]:
    with running_fleet(dist, tmp_path_factory.mktemp("fleet")) as running:
        yield running


def test_seed_adds_the_devices_and_tasks_asked_for(fleet: RunningFleet) -> None:
    seeded = fleet.command("seed", "--devices", "5", "--tasks", "30")

    assert seeded.returncode == 0, seeded.stderr
    assert "5 seed devices (5 added), 30 seed tasks (30 added)" in seeded.stdout
    assert len(_seed_devices(fleet)) == 5
    assert len(_seed_tasks(fleet)) == 30


def test_seeding_again_adds_nothing(fleet: RunningFleet) -> None:
    fleet.command("seed", "--devices", "5", "--tasks", "30")
    again = fleet.command("seed", "--devices", "5", "--tasks", "30")

    assert again.returncode == 0, again.stderr
    assert "5 seed devices (0 added), 30 seed tasks (0 added)" in again.stdout
    assert len(_seed_devices(fleet)) == 5
    assert len(_seed_tasks(fleet)) == 30


def test_seed_puts_the_demo_accounts_back_as_they_were(fleet: RunningFleet) -> None:
    admin = fleet.headers("admin")
    users = httpx.get(f"{fleet.url('users')}/v1/users?limit=100", headers=admin, timeout=10)
    operator = next(u for u in users.json()["items"] if u["username"] == "operator")
    demoted = httpx.patch(
        f"{fleet.url('users')}/v1/users/{operator['id']}",
        json={"role": "technician"},
        headers=admin,
        timeout=10,
    )
    assert demoted.json()["role"] == "technician"

    seeded = fleet.command("seed")

    assert seeded.returncode == 0, seeded.stderr
    me = httpx.get(f"{fleet.url('users')}/v1/users/me", headers=fleet.headers(), timeout=10)
    assert me.json()["role"] == "operator"


def test_seed_without_a_running_fleet_says_so(tmp_path: Path, fleet: RunningFleet) -> None:
    alone = RunningFleet(tmp_path, {**fleet.env, "FLEET_ROOT": str(tmp_path)}, [])

    refused = alone.command("seed")

    assert refused.returncode == 2
    assert "no fleet" in refused.stderr


def _seed_devices(fleet: RunningFleet) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{fleet.url('devices')}/v1/devices?limit=500", headers=fleet.headers(), timeout=10
    )
    return [d for d in answer.json()["items"] if d["name"].startswith("seed-")]


def _seed_tasks(fleet: RunningFleet) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{fleet.url('tasks')}/v1/tasks?label=seed&limit=200", headers=fleet.headers(), timeout=10
    )
    items: list[dict[str, Any]] = answer.json()["items"]
    return items
