"""JSON Schema export: every contract, as files another language can validate against."""

import json
from pathlib import Path

import pytest

from contracts.schema import event_types, main


def test_exports_one_schema_file_per_contract(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    for model in event_types():
        assert f"{model.event_type}.v{model.event_version}.schema.json" in names
    assert {"event.schema.json", "device.telemetry.schema.json"} <= names
    assert "device.command.schema.json" in names
    assert "device.command_ack.schema.json" in names
    assert "access.revocations.schema.json" in names


def test_every_service_s_events_and_the_access_protocol_s_are_exported() -> None:
    exported = {model.event_type for model in event_types()}
    assert {"access.revoked", "user.deactivated", "task.completed", "device.offline"} <= exported


def test_event_schema_pins_type_and_carries_ids_as_strings(tmp_path: Path) -> None:
    main([str(tmp_path)])
    schema = json.loads((tmp_path / "task.completed.v1.schema.json").read_text())
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"]["type"]["const"] == "task.completed"
    assert schema["properties"]["id"]["type"] == "string"
    assert set(schema["required"]) >= {"id", "type", "occurred_at", "source", "data"}


def test_without_a_directory_it_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
