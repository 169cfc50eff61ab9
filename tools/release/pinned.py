"""The chart render an environment runs, and the copy a pinned environment keeps of it.

Most overlays build on the live render, deploy/rendered/<service>: a chart change reaches them
with the next commit. An environment that must run only what another one ran first (prod, after
staging) pins its render instead: each overlay builds on its own copy, `rendered/` beside its
kustomization, and only `release promote` rewrites that copy, from the render the source
environment builds on, in the same commit as the tags. So prod runs the manifests staging ran,
not whatever the chart renders today.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release import yamlio
from release.layout import Layout
from release.overlay import OverlayError

# The folder, beside a pinned overlay's kustomization, that holds its copy of the render.
PINNED = "rendered"
_NOTE = (
    "# {target}'s pinned copy of the render {source} ran, written by `release promote --from"
    " {source} --to {target}`.\n# Do not edit: promote again (docs/deploy.md).\n"
)


@dataclass(frozen=True)
class RenderCopy:
    """A pinned overlay's render, replaced by the one the source environment runs."""

    service: str
    source: Path  # the render folder copied
    changed: list[Path]  # the files written or removed; empty when already the same


def _resources(layout: Layout, environment: str, service: str) -> list[Path]:
    overlay = layout.overlay(environment, service)
    listed = (yamlio.load(overlay.read_text()) or {}).get("resources") or []
    return [(overlay.parent / str(r)).resolve() for r in listed]


def render_of(layout: Layout, environment: str, service: str) -> Path:
    """The render folder `environment`'s overlay of `service` builds on."""
    overlay = layout.overlay(environment, service)
    renders = [
        folder
        for folder in _resources(layout, environment, service)
        if folder == overlay.parent.resolve() / PINNED
        or folder.parent == layout.rendered_dir.resolve()
    ]
    if len(renders) != 1:
        raise OverlayError(
            f"{overlay}: `resources` must name one render, ../../../rendered/{service} or"
            f" {PINNED} (a pinned copy); found {len(renders)}"
        )
    return renders[0]


def source_render(layout: Layout, source: str, service: str) -> Path:
    """The render `source` runs, to copy; refused when its overlay names none or it is missing."""
    origin = render_of(layout, source, service)
    if not origin.is_dir():
        raise OverlayError(f"{origin}: the render {source}'s {service} builds on is missing")
    return origin


def is_pinned(layout: Layout, environment: str, service: str) -> bool:
    """Whether the overlay builds on its own copy of the render (`resources: [rendered]`)."""
    pinned = layout.overlay(environment, service).parent.resolve() / PINNED
    return pinned in _resources(layout, environment, service)


def copy_render(layout: Layout, source: str, target: str, service: str) -> RenderCopy | None:
    """Give `target`'s pinned overlay the render `source` runs; None if `target` is not pinned.

    Every file is copied byte for byte; the kustomization gains a first comment naming where it
    came from. Files the source's render no longer has are removed.
    """
    if not is_pinned(layout, target, service):
        return None
    origin = source_render(layout, source, service)
    copy = layout.overlay(target, service).parent / PINNED
    wanted = {
        p.relative_to(origin): _pinned_text(p, source, target)
        for p in sorted(origin.rglob("*"))
        if p.is_file()
    }
    changed: list[Path] = []
    if copy.exists():
        for stale in sorted(p for p in copy.rglob("*") if p.is_file()):
            if stale.relative_to(copy) not in wanted:
                stale.unlink()
                changed.append(stale)
    for name, text in wanted.items():
        path = copy / name
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(path)
    return RenderCopy(service, origin, changed)


def _pinned_text(path: Path, source: str, target: str) -> str:
    text = path.read_text()
    if path.name == "kustomization.yaml":
        return _NOTE.format(source=source, target=target) + text
    return text
