"""Services run from the working tree (`fleet up --reload`, `fleet up --debug SERVICE`).

Such a service still starts from its pex, which brings its third-party packages, but imports its
own code and the chassis from the checkout: the pex runs as a plain interpreter
(`PEX_INTERPRETER=1`) on fleet/tree_entry.py, which puts the source roots pants.toml declares
first on sys.path and calls the pex's entry point. Not PEX_EXTRA_SYS_PATH: it appends, so the
pex's own copy of the service would win. A new third-party requirement still needs a new pex
(`./fleet up` builds it).

debugpy reaches a debugged service the same way, from the fleet tool's own copy (a folder
linking to it alone), so the service pexes, which the images ship, never carry a debugger.
"""

from __future__ import annotations

import json
import os
import tomllib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fleet import tree_entry
from fleet.catalog import Service

DEBUG_HOST = tree_entry.DEBUG_HOST
SPARE_ENV = {tree_entry.SPARE: "1"}  # a process that waits, libraries imported, for its go
DEBUG_PORT = 5678  # debugpy's own default, the one VS Code's and PyCharm's recipes assume


class TreeError(Exception):
    """The checkout cannot run services from its sources; the message says why."""


@dataclass(frozen=True)
class Debugger:
    """debugpy in the named services, on DEBUG_HOST from `port` up: one port per process, in
    the order of `services` (a service's replicas one after the other)."""

    services: tuple[str, ...]
    port: int = DEBUG_PORT
    wait: bool = False  # each waits for a client before starting

    def ports(self, processes: Mapping[str, Sequence[str]]) -> dict[str, int]:
        """Process name -> its debugpy port, given each service's process names."""
        names = [name for service in self.services for name in processes[service]]
        return {name: self.port + index for index, name in enumerate(names)}


@dataclass(frozen=True)
class WorkingTree:
    """Which services run from the checkout's sources, and how each process is started."""

    roots: tuple[Path, ...]
    services: frozenset[str] = frozenset()
    debugged: frozenset[str] = frozenset()
    debug_ports: Mapping[str, int] = field(default_factory=dict)  # process name -> port
    debugpy: Path | None = None  # the folder holding debugpy, when a service is debugged
    wait: bool = False  # the debugged processes wait for a client before starting

    def argv(self, service: Service, *command: str, process: str = "") -> list[str]:
        """How to run `command` (`serve`, `migrate` ...) of `service` as `process`: under
        debugpy when the process has a debug port."""
        if service.name not in self.services:
            return [str(service.pex), *command]
        port = self.debug_ports.get(process)
        debugger = ""
        if port is not None and self.debugpy is not None:
            debugger = f"{self.debugpy},{port},{'wait' if self.wait else 'go'}"
        roots = os.pathsep.join(str(r) for r in self.roots)
        entry = _entry_point(service.pex)
        return [str(service.pex), tree_entry.__file__, roots, entry, debugger, *command]

    def env(self, service: str) -> dict[str, str]:
        """What a process of `service` gets on top of its settings."""
        if service not in self.services:
            return {}
        if service not in self.debugged:
            return dict(_FROM_TREE)
        # debugpy's warning that frozen stdlib modules can miss breakpoints (3.11 freezes a
        # few, e.g. os, which nobody debugs) would open every debugged service's log.
        return {**_FROM_TREE, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}

    def summary(self, root: Path) -> list[tuple[str, str]]:
        """The ready table's lines: each debugger's port, and what is watched."""
        lines = [
            ("debugger", f"{p} on {DEBUG_HOST}:{port}") for p, port in self.debug_ports.items()
        ]
        if self.services - self.debugged:
            roots = ", ".join(f"{r.relative_to(root)}/" for r in self.roots)
            lines.append(("reload", f"watching {roots}"))
        return lines

    def waits(self, service: str) -> bool:
        """Whether `service` waits for a debugger before it starts (and serves)."""
        return self.wait and service in self.debugged


def working_tree(
    root: Path,
    services: Sequence[str],
    state_dir: Path,
    debugger: Debugger | None,
    processes: Mapping[str, Sequence[str]],
) -> WorkingTree:
    """`services` and the debugged ones from the checkout at `root` (`processes`: each
    service's process names); none: every service from its pex, as `fleet up` runs them."""
    if debugger is None or not debugger.services:
        if not services:
            return WorkingTree(())
        return WorkingTree(source_roots(root), frozenset(services))
    return WorkingTree(
        source_roots(root),
        frozenset([*services, *debugger.services]),
        debugged=frozenset(debugger.services),
        debug_ports=debugger.ports(processes),
        debugpy=debugpy_folder(state_dir),
        wait=debugger.wait,
    )


_FROM_TREE = {"PEX_INTERPRETER": "1"}


def source_roots(root: Path) -> tuple[Path, ...]:
    """The folders pants.toml's `[source] root_patterns` name (`/services`, `/shared` ...), in
    its order; the top of the checkout is left out: no package a service imports lives there."""
    try:
        config = tomllib.loads((root / "pants.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TreeError(f"cannot read the source roots from {root / 'pants.toml'}: {exc}") from exc
    patterns = config.get("source", {}).get("root_patterns", [])
    folders = [root / p.strip("/") for p in patterns if p.startswith("/") and "*" not in p]
    return tuple(f for f in folders if f != root and f.is_dir())


def debugpy_folder(state_dir: Path) -> Path:
    """A folder in `state_dir` holding only a link to the fleet tool's debugpy: a debugged
    service gets debugpy, not the tool's other packages (which could hide a missing one)."""
    import debugpy

    package = Path(debugpy.__file__).parent
    if not package.is_dir():
        raise TreeError(f"debugpy is not installed as files ({package}): cannot lend it")
    folder = state_dir / "debugpy"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "debugpy"
    link.unlink(missing_ok=True)
    link.symlink_to(package, target_is_directory=True)
    return folder


def _entry_point(pex: Path) -> str:
    """What the pex runs (`tasks.main:cli`), from its PEX-INFO."""
    with zipfile.ZipFile(pex) as archive:
        entry: str = json.loads(archive.read("PEX-INFO"))["entry_point"]
    return entry
