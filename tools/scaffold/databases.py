"""Database creation: one PostgreSQL database per service that keeps one, named after it.

The dev platform's reference PostgreSQL runs the script on its first start, and compose mounts the
same file into its postgres container, so both create the databases the descriptors ask for.
"""

from __future__ import annotations

from collections.abc import Sequence

from fleet.descriptor import Descriptor
from scaffold.artifacts import Artifact
from scaffold.region import region

SCRIPT = "deploy/overlays/dev/platform/create-databases.sql"


def statements(fleet: Sequence[Descriptor]) -> str:
    """A CREATE DATABASE per service with `database = true`, in the fleet's order."""
    return "".join(f"CREATE DATABASE {d.name};\n" for d in fleet if d.database)


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    return [Artifact(SCRIPT, region(SCRIPT, "-- ", statements(fleet)))]
