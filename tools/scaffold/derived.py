"""Every file `./fleet generate` derives from the descriptors, in one list.

Each concern keeps its own module (compose.py, acl.py, ...) returning its artifacts; this list is
what the command writes and what the freshness test checks.
"""

from __future__ import annotations

from pathlib import Path

from fleet.descriptor import descriptors, in_start_order
from scaffold import acl, build_lists, compose, compose_dev, databases, identity, overlays, values
from scaffold.artifacts import Artifact


def artifacts(root: Path) -> list[Artifact]:
    """The derived files of the fleet in `root`."""
    fleet = in_start_order(descriptors(root))
    found: list[Artifact] = []
    found += compose.artifacts(fleet) + compose_dev.artifacts(fleet)
    found += acl.artifacts(fleet) + databases.artifacts(fleet)
    found += build_lists.artifacts(fleet) + identity.artifacts(fleet)
    # Values files before the overlays: `release render` reads them (generate.py).
    found += values.artifacts(fleet) + overlays.artifacts(fleet, overlays.environments(root))
    return found
