"""The build's lists of services: Pants' (a BUILD-file prelude) and ruff's first-party packages.

Pants 2.17 BUILD files cannot read files, so the services they list (every service's pex, which
tests run as processes) come from a prelude whose SERVICES this writes; BUILD files call its
`service_pexes()`. Ruff sorts a service's package and its generated client (e2e/clients/) among
the first-party imports because pyproject.toml names them: detection by folder fails in Pants'
sandboxes, which hold only the files being linted, and a glob (`*_client`) would take in
third-party packages too (prometheus_client).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fleet.descriptor import Descriptor
from scaffold.artifacts import Artifact
from scaffold.region import region

PRELUDE = "build-support/services.py"
PYPROJECT = "pyproject.toml"


def prelude(fleet: Sequence[Descriptor]) -> str:
    """The prelude's list, in the fleet's order."""
    return f"SERVICES = {tuple(d.name for d in fleet)!r}\n"


def first_party(fleet: Sequence[Descriptor]) -> str:
    """Lines of ruff's known-first-party array: each service's package and its client's."""
    return "".join(f"  {json.dumps(d.name)}, {json.dumps(f'{d.name}_client')},\n" for d in fleet)


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    return [
        Artifact(PRELUDE, region(PRELUDE, "# ", prelude(fleet))),
        Artifact(PYPROJECT, region(PYPROJECT, "  # ", first_party(fleet))),
    ]
