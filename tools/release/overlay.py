"""Read and bump the image tags in an overlay's kustomization, keeping its comments and layout.

A release edits exactly one line per service (`newTag:`), so the commit's diff is the release.
There is no `kustomize edit` on the build machines, and a YAML round trip through PyYAML would
drop comments; ruamel.yaml keeps them.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from release.tags import is_image_tag


class OverlayError(Exception):
    """The overlay does not have the image entry the release expects."""


def round_trip() -> YAML:
    """The YAML reader and writer every overlay edit goes through."""
    yaml = YAML()  # round-trip mode: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _image_entry(document: Any, image: str, path: Path) -> Any:
    for entry in document.get("images") or []:
        if entry.get("name") == image:
            return entry
    raise OverlayError(f"{path}: no `images:` entry named {image!r}")


def image_tag(path: Path, image: str) -> str:
    """The tag `path` deploys for `image`."""
    document = round_trip().load(path.read_text())
    return str(_image_entry(document, image, path).get("newTag", ""))


def check_tag(tag: str) -> None:
    """Refuse a tag the release tool did not make (`latest`, `unreleased`, a typo)."""
    if not is_image_tag(tag):
        raise OverlayError(f"{tag!r} is not a release tag (v{{YYYYMMDD}}.{{RUN}}-{{BRANCH}})")


def set_image_tag(path: Path, image: str, tag: str) -> bool:
    """Point `image` at `tag` in the kustomization at `path`; False when it already was."""
    check_tag(tag)
    yaml = round_trip()
    document = yaml.load(path.read_text())
    entry = _image_entry(document, image, path)
    if entry.get("newTag") == tag:
        return False
    entry["newTag"] = tag
    out = StringIO()
    yaml.dump(document, out)
    path.write_text(out.getvalue())
    return True
