"""The chassis draws as a ladder: each package imports only the packages on the rungs below it.

The ladder is written out in docs/chassis.md ("The ladder"); a new package takes a rung here.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import chassis
from chassis.testing import run_alone

# Bottom rung first. A package may import any package on a lower rung, none on its own or above.
LADDER: list[set[str]] = [
    {"context", "config", "metrics", "local", "tls"},
    {"tracing"},
    {"logging"},
    {"lifecycle"},
    {"db", "http", "health"},
    {"errors", "outbox", "mqtt"},
    {"auth"},
    {"monitor", "cli", "idempotency"},
    {"app"},
    {"testing"},
]
RUNG = {package: n for n, packages in enumerate(LADDER) for package in packages}
ROOT = Path(chassis.__file__).parent


def _package(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def _chassis_imports(path: Path) -> set[str]:
    """The chassis packages `path` imports, at the top, in functions or under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(), str(path))
    here = path.relative_to(ROOT.parent).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here[: -node.level] if node.level else ()
            names.add(".".join([*base, node.module or ""]).strip("."))
    return {n.split(".")[1] for n in names if n.startswith("chassis.")}


def _shipped_sources() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "tests" not in p.relative_to(ROOT).parts]


def test_every_chassis_package_has_a_rung() -> None:
    packages = {_package(p) for p in _shipped_sources()} - {"__init__"}
    assert packages - RUNG.keys() == set()


def test_no_package_imports_one_on_its_own_rung_or_above() -> None:
    upward = sorted(
        f"{path.relative_to(ROOT.parent)} imports chassis.{target}"
        for path in _shipped_sources()
        if (package := _package(path)) in RUNG
        for target in _chassis_imports(path)
        if target != package and RUNG.get(target, -1) >= RUNG[package]
    )
    assert upward == []


@pytest.mark.parametrize("package", sorted(RUNG))
def test_a_package_imports_first_in_a_fresh_interpreter_and_loads_nothing_above_it(
    package: str,
) -> None:
    script = (
        f"import json, sys, chassis.{package}; "
        "print(json.dumps(sorted({m.split('.')[1] for m in sys.modules "
        "if m.startswith('chassis.')})))"
    )
    done = run_alone(script)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1])) - {package}
    assert {p for p in loaded if RUNG.get(p, -1) >= RUNG[package]} == set()
