"""Fleets for the generators' tests: this repository's services plus a fourth, `inventory`."""

from __future__ import annotations

from pathlib import Path

from fleet.descriptor import Descriptor, Mqtt, descriptors, in_start_order

ROOT = Path.cwd()  # the sandbox's root: the files the test depends on
# A new service as `./fleet new inventory --calls tasks` makes it: no database of its own here,
# so the generators must leave one out.
INVENTORY = Descriptor(
    name="inventory",
    port=8004,
    summary="parts, and reserving one for a task",
    calls=("tasks",),
    account=True,
    mqtt=Mqtt(publishes=("part.reserved",), consumes=("task.completed",)),
)


def with_inventory() -> list[Descriptor]:
    """This repository's fleet and inventory, in start order."""
    return in_start_order({**descriptors(ROOT), INVENTORY.name: INVENTORY})


def this_repository() -> list[Descriptor]:
    return in_start_order(descriptors(ROOT))
