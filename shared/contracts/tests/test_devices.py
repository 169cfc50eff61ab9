"""What devices send: telemetry in either time format, one reading or a list, nothing ambiguous."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contracts.devices import Telemetry

_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def test_telemetry_accepts_epoch_or_iso_and_one_reading_or_a_list() -> None:
    one = Telemetry.model_validate_json('{"ts": 1717243200, "metrics": {"temp": 81.5}}')
    many = Telemetry.model_validate_json(
        '[{"ts": "2024-06-01T12:00:00Z", "metrics": {"temp": 81.5}},'
        ' {"ts": "2024-06-01T14:00:00+02:00", "metrics": {"rpm": 900}}]'
    )
    assert [r.ts for r in one.readings] == [_NOW]
    assert [r.ts for r in many.readings] == [_NOW, _NOW]


@pytest.mark.parametrize(
    "bad",
    [
        '{"ts": "2024-06-01T12:00:00", "metrics": {"temp": 1}}',  # no offset: ambiguous
        '{"ts": 1717243200, "metrics": {}}',
        '{"ts": 1717243200, "metrics": {"temp": "hot"}}',
        '{"metrics": {"temp": 1}}',
    ],
)
def test_telemetry_rejects_ambiguous_or_wrongly_typed_readings(bad: str) -> None:
    with pytest.raises(ValidationError):
        Telemetry.model_validate_json(bad)
