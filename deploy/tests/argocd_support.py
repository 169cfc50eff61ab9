"""Argo CD's view of the repository, computed the way the ApplicationSet controller does:
environment files crossed with the folders beside them, and a template's simple parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deploy.tests.support import LAYOUT
from release import yamlio

ARGOCD = LAYOUT.root / "deploy" / "argocd"
# Written in the Argo CD objects, replaced from repository.yaml by kustomize.
PLACEHOLDERS = ("FLEET_REPOSITORY_URL", "FLEET_REPOSITORY_REVISION")


def environment_files() -> dict[str, dict[str, Any]]:
    """deploy/overlays/<environment>/environment.yaml, by environment."""
    return {
        p.parent.name: yamlio.load(p.read_text())
        for p in sorted(LAYOUT.overlays_dir.glob("*/environment.yaml"))
    }


def matched(pattern: str) -> list[Path]:
    """What a git generator's path matches, relative to the repository (Go's path.Match:
    `*` stays within one folder, as Path.glob's does)."""
    return sorted(p.relative_to(LAYOUT.root) for p in LAYOUT.root.glob(pattern))


def path_params(path: Path) -> dict[str, Any]:
    """A git generator's parameters for a folder, as its goTemplate mode gives them."""
    text = path.as_posix()
    return {"path": text, "basename": path.name, "segments": text.split("/")}
