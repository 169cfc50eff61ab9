"""Fleets for the generators' tests: this repository's services plus a fourth, `stockroom`."""

from __future__ import annotations

from pathlib import Path

from fleet.descriptor import Descriptor, Mqtt, descriptors, in_start_order

ROOT = Path.cwd()  # the sandbox's root: the files the test depends on
# A new service as `./fleet new stockroom --calls tasks` makes it: no database of its own here,
# so the generators must leave one out.
STOCKROOM = Descriptor(
    name="stockroom",
    port=8904,
    summary="parts, and reserving one for a task",
    calls=("tasks",),
    account=True,
    mqtt=Mqtt(publishes=("part.reserved",), consumes=("task.completed",)),
)


def with_stockroom() -> list[Descriptor]:
    """This repository's fleet and stockroom, in start order."""
    return in_start_order({**descriptors(ROOT), STOCKROOM.name: STOCKROOM})


def this_repository() -> list[Descriptor]:
    return in_start_order(descriptors(ROOT))
