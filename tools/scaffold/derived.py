"""Every file `./fleet generate` derives from the descriptors, in one list.

Each concern keeps its own module (compose.py, acl.py, ...) returning its artifacts; this list is
what the command writes and what the freshness test checks.
"""

from __future__ import annotations

from pathlib import Path

from fleet.descriptor import descriptors, in_start_order
from scaffold.artifacts import Artifact


def artifacts(root: Path) -> list[Artifact]:
    """The derived files of the fleet in `root`."""
    fleet = in_start_order(descriptors(root))
    found: list[Artifact] = []
    del fleet  # the generators register here (compose, ACLs, databases, values, overlays, ...)
    return found
