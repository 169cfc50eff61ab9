"""`./fleet generate`: every file derived from the descriptors, written or checked at once.

Four kinds, one command: scaffold's own artifacts (derived.py), then the chart's renders
(`release render`, which read the values files written first), the dashboards and alert rules
(`release observability`), and the Secrets the overlays then read (secrets.py: the ExternalSecret
components of `release secrets --write` and the docs' table).
"""

from __future__ import annotations

from pathlib import Path

from release import observability, render
from release.layout import Layout
from scaffold import artifacts, derived, secrets


def write(root: Path) -> list[str]:
    """Write every derived file that changed; the paths written, from the root."""
    written = artifacts.write(root, derived.artifacts(root))
    layout = Layout(root)
    written += [str(p.relative_to(root)) for p in render.write(layout, render.render_all(layout))]
    files = observability.generate(layout)
    written += [str(p.relative_to(root)) for p in observability.write(layout, files)]
    return written + secrets.write(layout)


def stale(root: Path) -> list[str]:
    """The derived files whose committed text is not what the descriptors derive now."""
    found = artifacts.stale(root, derived.artifacts(root))
    layout = Layout(root)
    found += [f"deploy/rendered/{n}" for n in render.drift(layout, render.render_all(layout))]
    files = observability.generate(layout)
    found += [f"deploy/observability/{n}" for n in observability.drift(layout, files)]
    return found + secrets.stale(layout)
