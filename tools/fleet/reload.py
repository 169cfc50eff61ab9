"""`fleet up --reload`: watch the checkout's source roots and restart the services a saved file
touches, the rest of the fleet (broker, databases, other services) serving on.

A file belongs to a package: the first folder under its source root (services/tasks/... is
`tasks`, shared/chassis/... is `chassis`). A service is touched when its package, or a package
of the checkout it imports (directly or through another one), changed: services/tasks restarts
tasks alone, shared/chassis every service that imports the chassis. Imports are read from the
sources at each change, so a new import counts at once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import httpx
from watchfiles import Change, DefaultFilter, awatch

from fleet.health import NotReady, wait_ready
from fleet.process import ServiceProcess

_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
# What no service runs: its tests (the pexes leave them out too), editors' and Python's droppings.
_RUN_CODE = DefaultFilter(
    ignore_dirs=(*DefaultFilter.ignore_dirs, "tests"),
    ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, r"^test_.*\.py$"),
)


def package_of(path: Path, roots: Sequence[Path]) -> str | None:
    """The package of the checkout `path` is part of, or None (outside the source roots)."""
    for root in roots:
        if path.is_relative_to(root) and path != root:
            return path.relative_to(root).parts[0].removesuffix(".py")
    return None


def imports_of(package: str, roots: Sequence[Path]) -> set[str]:
    """The packages of the checkout `package` reaches through its imports, itself included."""
    reached: set[str] = set()
    pending = [package]
    while pending:
        name = pending.pop()
        source = _source_of(name, roots)
        if name in reached or source is None:
            continue
        reached.add(name)
        files = [source] if source.is_file() else source.rglob("*.py")
        for file in (f for f in files if _RUN_CODE(Change.modified, str(f))):
            pending += _IMPORT.findall(file.read_text(errors="replace"))
    return reached


def touched(changed: Iterable[Path], services: Iterable[str], roots: Sequence[Path]) -> list[str]:
    """The services (their package named after them) whose code includes a changed file."""
    packages = {package_of(path, roots) for path in changed} - {None}
    return [name for name in services if packages & imports_of(name, roots)]


async def watch(
    roots: Sequence[Path],
    processes: Mapping[str, Sequence[ServiceProcess]],
    urls: Mapping[str, str],
    *,
    grace: float,
    within: float,
    say: Callable[[str], None],
    alarm: Callable[[str], None],
    stop: asyncio.Event,
) -> None:
    """Until `stop`: on each batch of saved files, restart the services they touch (each
    process of each), then say how long after the save each answers again."""
    answering: dict[str, asyncio.Task[None]] = {}
    async with httpx.AsyncClient() as client:
        try:
            async for changes in awatch(*roots, watch_filter=_RUN_CODE, stop_event=stop):
                saved = asyncio.get_running_loop().time()
                changed = sorted({Path(path) for _, path in changes})
                names = touched(changed, processes, roots)
                if not names:
                    continue
                say(f"{_listing(changed, roots)} changed: restarting {', '.join(names)}")
                await asyncio.gather(*(p.restart(grace) for n in names for p in processes[n]))
                for name in names:  # a newer save's restart makes the older wait moot
                    if name in answering:
                        answering.pop(name).cancel()
                    answering[name] = asyncio.create_task(
                        _answering(client, name, urls[name], saved, within, say, alarm)
                    )
        finally:
            for task in answering.values():
                task.cancel()


async def _answering(
    client: httpx.AsyncClient,
    name: str,
    url: str,
    saved: float,
    within: float,
    say: Callable[[str], None],
    alarm: Callable[[str], None],
) -> None:
    try:
        await wait_ready(
            client, [(name, url)], within=within, on_ready=lambda _: None, path="/health/live"
        )
    except NotReady as exc:
        alarm(f"{name} {exc} after the change (its log says why; the next save retries)")
        return
    elapsed = asyncio.get_running_loop().time() - saved
    say(f"{name} answers again, {elapsed:.1f} s after the change")


def _source_of(package: str, roots: Sequence[Path]) -> Path | None:
    for root in roots:
        for source in (root / package, root / f"{package}.py"):
            if source.exists():
                return source
    return None


def _listing(paths: Sequence[Path], roots: Sequence[Path]) -> str:
    top = min((r.parent for r in roots), key=lambda p: len(p.parts), default=Path("/"))
    shown = [str(p.relative_to(top)) if p.is_relative_to(top) else str(p) for p in paths[:3]]
    return ", ".join(shown) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
