"""Bump image tags in an environment's overlays, and promote one environment's tags to another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.catalog import deployed_services, image_name
from release.layout import Layout
from release.overlay import OverlayError, image_tag, set_image_tag


@dataclass(frozen=True)
class Bump:
    service: str
    overlay: Path
    tag: str


def bump(layout: Layout, environment: str, tags: dict[str, str]) -> list[Bump]:
    """Set each service's tag in `environment`; returns the overlays that changed."""
    unknown = sorted(set(tags) - set(deployed_services(layout, environment)))
    if unknown:
        raise OverlayError(f"{environment} has no overlay for: {', '.join(unknown)}")
    changed = []
    for service, tag in sorted(tags.items()):
        overlay = layout.overlay(environment, service)
        if set_image_tag(overlay, image_name(layout, service), tag):
            changed.append(Bump(service, overlay, tag))
    return changed


def promotion(layout: Layout, source: str, target: str) -> dict[str, str]:
    """The tags `target` needs to run what `source` runs (services both deploy)."""
    shared = set(deployed_services(layout, source)) & set(deployed_services(layout, target))
    return {
        service: image_tag(layout.overlay(source, service), image_name(layout, service))
        for service in sorted(shared)
    }


def promote(layout: Layout, source: str, target: str) -> list[Bump]:
    """Deploy to `target` exactly the images `source` runs: no rebuild, same tags."""
    return bump(layout, target, promotion(layout, source, target))
