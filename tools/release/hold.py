"""A new service is held at zero replicas in an environment until its first release reaches it.

No image of a new service exists before its first release builds one, so the overlays
`./fleet generate` seeds for it deploy the placeholder tag `unreleased` and use the component
deploy/unreleased/ (`components: [../../../unreleased]`): no pod pulls the missing image, and
Argo CD syncs the rest. The release that sets the service's first tag lifts the hold in the same
edit, and the service runs with its overlay's replicas from then on.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from release.overlay import round_trip

# The component, as an overlay (deploy/overlays/<env>/<service>/) names it.
HOLD = "../../../unreleased"
# The tag of an image no release built (the chart's default too): never deployed by a release.
PLACEHOLDER = "unreleased"


def is_held(path: Path) -> bool:
    """Whether the overlay at `path` holds its service at zero replicas."""
    document = round_trip().load(path.read_text()) or {}
    return HOLD in (document.get("components") or [])


def lift(path: Path) -> bool:
    """Let the service of the overlay at `path` run; False when it was not held."""
    yaml = round_trip()
    document = yaml.load(path.read_text())
    components = document.get("components") or []
    if HOLD not in components:
        return False
    components.remove(HOLD)
    if not components:
        del document["components"]
    out = StringIO()
    yaml.dump(document, out)
    # The entry's end-of-line comment leaves an empty line behind when it was the file's last.
    path.write_text(out.getvalue().rstrip("\n") + "\n")
    return True
