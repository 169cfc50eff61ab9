"""A service's deployment facts read from its values file: its image name and overlays."""

from __future__ import annotations

from release import yamlio
from release.layout import Layout


def image_name(layout: Layout, service: str) -> str:
    """The image name the render uses and each overlay's `images:` entry maps (fleet/users)."""
    values = yamlio.load(layout.values_file(service).read_text()) or {}
    return str(values["image"]["repository"])


def deployed_services(layout: Layout, environment: str) -> list[str]:
    """The services `environment` has an overlay for."""
    return [s for s in layout.services() if layout.overlay(environment, s).exists()]
