"""A derived file: where it lives and how its text follows from the descriptors.

A renderer gets the file's current text (None when it does not exist) and returns the text the
file should have. Most files are wholly generated and ignore it; a hand-written file with a
generated region (region.py) keeps everything outside the region; a file only seeded once (an
overlay, which releases edit afterwards) returns the current text when there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

COMMAND = "./fleet generate"

Renderer = Callable[[str | None], str]


@dataclass(frozen=True)
class Artifact:
    path: str  # from the repository's root
    render: Renderer


def _current(root: Path, artifact: Artifact) -> str | None:
    path = root / artifact.path
    return path.read_text() if path.exists() else None


def stale(root: Path, artifacts: Iterable[Artifact]) -> list[str]:
    """The paths whose committed text differs from what the descriptors derive."""
    return [a.path for a in artifacts if a.render(_current(root, a)) != _current(root, a)]


def write(root: Path, artifacts: Iterable[Artifact]) -> list[str]:
    """Write every artifact whose text changed; the paths written."""
    written = []
    for artifact in artifacts:
        current = _current(root, artifact)
        text = artifact.render(current)
        if text != current:
            path = root / artifact.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(artifact.path)
    return written
