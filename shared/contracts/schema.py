"""Export every contract as a JSON Schema file, for consumers written in other languages.

    python -m contracts.schema build/schemas

writes `event.schema.json` (the envelope), one `<type>.v<version>.schema.json` per event (the
envelope with its typed data), and each module's other payloads (its `PAYLOADS`: a device's
telemetry, command, ...).

The modules are found, not listed: every module of this package is one service's (or the
identity protocol's) contracts, so a service's new events module is exported with no edit here.
Only this export imports them all; nothing a service or the chassis imports does.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from pydantic import TypeAdapter

import contracts
from contracts.envelope import Event, EventData

# The package's own machinery, not one party's contracts.
_MACHINERY = {"envelope", "ids", "schema", "topics"}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def modules() -> list[ModuleType]:
    """Every module of contracts in this package, by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(contracts.__path__))
    return [importlib.import_module(f"contracts.{n}") for n in names if n not in _MACHINERY]


def event_types() -> list[type[EventData]]:
    """Every event the contracts modules define, module by module."""
    return [
        kind
        for module in modules()
        for kind in vars(module).values()
        if isinstance(kind, type)
        and issubclass(kind, EventData)
        and kind.__module__ == module.__name__
    ]


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for every contract."""
    payloads: dict[str, Any] = {"event": Event[dict[str, Any]]}
    for module in modules():
        payloads |= getattr(module, "PAYLOADS", {})
    events = event_types()
    for model in events:
        envelope = Event[model]  # type: ignore[valid-type]
        payloads[f"{model.event_type}.v{model.event_version}"] = envelope
    schemas = {}
    for name, kind in payloads.items():
        schema = TypeAdapter(kind).json_schema(mode=_MODE)
        schemas[f"{name}.schema.json"] = {**schema, "$schema": _DIALECT, "title": name}
    for model in events:
        # Pin the envelope's type and version, so a validator tells the events apart.
        properties = schemas[f"{model.event_type}.v{model.event_version}.schema.json"]["properties"]
        properties["type"]["const"] = model.event_type
        properties["version"]["const"] = model.event_version
    return schemas


_MODE: Literal["serialization"] = "serialization"  # what travels on the wire


def export_schemas(directory: Path) -> list[Path]:
    """Write every schema into `directory` (created if missing); return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(json_schemas().items()):
        path = directory / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m contracts.schema <directory>", file=sys.stderr)
        return 2
    for path in export_schemas(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
