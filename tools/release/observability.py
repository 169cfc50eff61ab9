"""deploy/observability/: the dashboards and alert rules files generated for every service.

`release observability` writes them; a test compares the committed files with a fresh
generation (as deploy/rendered is compared with a fresh render). The promtool tests beside the
rules files (alerts/*.test.yaml) are written by hand and left alone.
"""

from __future__ import annotations

from pathlib import Path

from release.alert_rules import rules_file
from release.dashboards import dashboard_json
from release.layout import Layout

# What the generation owns in deploy/observability/, so a removed service's files go too.
GENERATED = ("dashboards/*.json", "alerts/*.rules.yaml")


def generate(layout: Layout) -> dict[str, str]:
    """Every generated file (its path under deploy/observability/) and its content."""
    files = {}
    for service in layout.services():
        files[f"dashboards/{service}.json"] = dashboard_json(service)
        files[f"alerts/{service}.rules.yaml"] = rules_file(layout, service)
    return files


def _committed(layout: Layout) -> dict[str, str]:
    folder = layout.observability_dir
    return {
        str(p.relative_to(folder)): p.read_text()
        for pattern in GENERATED
        for p in sorted(folder.glob(pattern))
    }


def drift(layout: Layout, files: dict[str, str]) -> list[str]:
    """Generated files whose committed content differs (missing and extra ones included)."""
    committed = _committed(layout)
    return sorted(p for p in files.keys() | committed.keys() if files.get(p) != committed.get(p))


def write(layout: Layout, files: dict[str, str]) -> list[Path]:
    """Write `files`, removing generated ones no service has any more."""
    folder = layout.observability_dir
    for stale in _committed(layout).keys() - files.keys():
        (folder / stale).unlink()
    written = []
    for name, content in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        written.append(path)
    return written
