"""Bump image tags in an environment's overlays, and promote what one environment runs to another.

An environment never goes backwards by accident: a bump that would replace a newer tag with an
older one (v20261101.5 over v20261205.42) is refused, naming both, unless it is a rollback.
A promotion carries the tags and, to an environment that pins its render, the render too.
A service's first tag in an environment lifts its hold at zero replicas (release.hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.catalog import deployed_services, image_name
from release.hold import is_held, lift
from release.layout import Layout
from release.overlay import OverlayError, check_tag, image_tag, set_image_tag
from release.pinned import RenderCopy, copy_render, is_pinned, source_render
from release.tags import is_older


class Backwards(OverlayError):
    """The bump would deploy an older tag than the environment runs, and no rollback was asked."""


@dataclass(frozen=True)
class Bump:
    service: str
    overlay: Path
    tag: str
    previous: str
    # The service was held at zero replicas: this is its first release there.
    held: bool = False

    @property
    def backwards(self) -> bool:
        """Whether this bump rolls the service back to an older tag."""
        return is_older(self.tag, self.previous)


def bump(
    layout: Layout, environment: str, tags: dict[str, str], *, rollback: bool = False
) -> list[Bump]:
    """Set each service's tag in `environment`; returns the overlays that changed.

    Refuses (changing no file) when any service runs a newer tag than it would get, unless
    `rollback`. A service already on its tag is left alone; a held one runs from now on.
    """
    unknown = sorted(set(tags) - set(deployed_services(layout, environment)))
    if unknown:
        raise OverlayError(f"{environment} has no overlay for: {', '.join(unknown)}")
    planned = []
    for service, tag in sorted(tags.items()):
        check_tag(tag)
        overlay = layout.overlay(environment, service)
        previous = image_tag(overlay, image_name(layout, service))
        held = is_held(overlay)
        if previous != tag or held:
            planned.append(Bump(service, overlay, tag, previous, held))
    backwards = [b for b in planned if b.backwards]
    if backwards and not rollback:
        newer = [
            f"{environment}/{b.service} runs {b.previous}, newer than {b.tag}" for b in backwards
        ]
        raise Backwards(
            "; ".join(newer)
            + ": refusing to go backwards (pass --rollback to roll back on purpose)"
        )
    for change in planned:
        set_image_tag(change.overlay, image_name(layout, change.service), change.tag)
        lift(change.overlay)
    return planned


def promotion(layout: Layout, source: str, target: str) -> dict[str, str]:
    """The tags `target` needs to run what `source` runs (services both deploy, and `source`
    has released: one it still holds at zero has nothing to promote)."""
    shared = set(deployed_services(layout, source)) & set(deployed_services(layout, target))
    return {
        service: image_tag(layout.overlay(source, service), image_name(layout, service))
        for service in sorted(shared)
        if not is_held(layout.overlay(source, service))
    }


@dataclass(frozen=True)
class Promotion:
    """What a promotion changed: tags, and the pinned renders it replaced."""

    tags: list[Bump]
    renders: list[RenderCopy]

    @property
    def changed(self) -> list[Path]:
        """Every file written or removed, for the release commit."""
        return [b.overlay for b in self.tags] + [p for r in self.renders for p in r.changed]


def promote(layout: Layout, source: str, target: str, *, rollback: bool = False) -> Promotion:
    """Deploy to `target` exactly what `source` runs: the same image tags (no rebuild) and, where
    `target` pins its render, the render `source` builds on.

    Refused like `bump` where `target` runs a newer tag than `source` (a hotfix released to it
    directly), unless `rollback`; a refusal changes no file.
    """
    tags = promotion(layout, source, target)
    pinned = [s for s in tags if is_pinned(layout, target, s)]
    for service in pinned:
        source_render(layout, source, service)  # refuse a bad source before changing a file
    bumps = bump(layout, target, tags, rollback=rollback)
    copies = [copy_render(layout, source, target, service) for service in pinned]
    return Promotion(bumps, [c for c in copies if c is not None and c.changed])
