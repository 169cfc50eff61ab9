"""Export every contract as a JSON Schema file, for consumers written in other languages.

    python -m contracts.schema build/schemas

writes `event.schema.json` (the envelope), one `<type>.v<version>.schema.json` per event (the
envelope with its typed data), and the device payloads (`telemetry`, `command`, ...).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter

from contracts.devices import Command, CommandAck, DeviceStatus, Telemetry
from contracts.envelope import Event
from contracts.registry import EVENT_TYPES
from contracts.users import AccessRevocations

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for every contract."""
    payloads: dict[str, Any] = {
        "event": Event[dict[str, Any]],
        "device.telemetry": Telemetry,
        "device.command": Command,
        "device.command_ack": CommandAck,
        "device.status": DeviceStatus,
        "users.access_revocations": AccessRevocations,
    }
    for model in EVENT_TYPES:
        envelope = Event[model]  # type: ignore[valid-type]
        payloads[f"{model.event_type}.v{model.event_version}"] = envelope
    schemas = {}
    for name, kind in payloads.items():
        schema = TypeAdapter(kind).json_schema(mode=_MODE)
        schemas[f"{name}.schema.json"] = {**schema, "$schema": _DIALECT, "title": name}
    for model in EVENT_TYPES:
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
