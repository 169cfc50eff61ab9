"""YAML in and out for plain data (ruamel.yaml: the one YAML library the lockfile declares)."""

from __future__ import annotations

from io import StringIO
from typing import Any

from ruamel.yaml import YAML


def load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def load_all(text: str) -> list[Any]:
    """Every document in `text`, empty ones dropped."""
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc]


def dump_all(documents: list[Any]) -> str:
    """Documents separated by `---`, keys in insertion order, no line wrapping."""
    yaml = YAML()  # round-trip: keeps the key order the templates wrote
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=2, offset=0)
    out = StringIO()
    yaml.dump_all(documents, out)
    return out.getvalue()
