"""The event envelope: ids as strings on the wire, typed data checked against the envelope."""

import re
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from contracts import Event, SnowflakeId
from contracts.tasks import TaskAssigned, TaskCompleted

_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
_BIG = 2**62 + 12345  # beyond 2**53: a JavaScript number would round it
_IDS = {"0", "7", str(2**63 - 1)}  # what str() writes for an id: the rest are no ids


class _Holder(BaseModel):
    id: SnowflakeId


def _completed() -> Event[TaskCompleted]:
    data = TaskCompleted(task_id=_BIG, completed_at=_NOW)
    return Event.of(data, id=_BIG + 1, source="tasks", correlation_id="c0ffee")


def test_snowflake_ids_are_strings_in_json_and_ints_in_python() -> None:
    assert _Holder(id=_BIG).model_dump_json() == f'{{"id":"{_BIG}"}}'
    assert _Holder.model_validate_json(f'{{"id":"{_BIG}"}}').id == _BIG
    assert _Holder.model_validate_json(f'{{"id":{_BIG}}}').id == _BIG


@pytest.mark.parametrize("bad", ['"12a"', '"-5"', '""', f'"{2**63}"', "1.5"])
def test_snowflake_ids_reject_what_is_not_a_64_bit_id(bad: str) -> None:
    with pytest.raises(ValidationError):
        _Holder.model_validate_json(f'{{"id":{bad}}}')


@pytest.mark.parametrize(
    "text",
    ["0", "7", str(2**63 - 1), str(2**63), "9" * 19, "007", "0.0", " 1", "+1", "1_0", "٣"],
)
def test_snowflake_id_strings_validate_exactly_when_their_schema_admits_them(text: str) -> None:
    pattern = _Holder.model_json_schema()["properties"]["id"]["pattern"]
    try:
        _Holder(id=text)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (re.fullmatch(pattern, text) is not None) == (text in _IDS)


def test_event_takes_its_type_and_version_from_the_data_model() -> None:
    event = _completed()
    assert (event.type, event.version, event.source) == ("task.completed", 1, "tasks")


def test_event_round_trips_through_json_with_typed_data() -> None:
    raw = _completed().model_dump_json()
    event = Event[TaskCompleted].model_validate_json(raw)
    assert event.data.task_id == _BIG
    assert event.correlation_id == "c0ffee"


def test_envelope_of_another_type_is_rejected_even_when_its_data_fits() -> None:
    assigned = Event.of(TaskAssigned(task_id=1, assignee_id=None), id=9, source="tasks")
    raw = assigned.model_dump_json()
    # TaskCompleted needs completed_at; make the data fit so only the type can reject it.
    fitting = raw.replace('"assignee_id":null', f'"completed_at":"{_NOW.isoformat()}"')
    with pytest.raises(ValidationError, match=r"envelope says task\.assigned"):
        Event[TaskCompleted].model_validate_json(fitting)


def test_event_needs_an_aware_timestamp() -> None:
    raw = _completed().model_dump_json().replace("Z", "")
    with pytest.raises(ValidationError, match="occurred_at"):
        Event[TaskCompleted].model_validate_json(raw)
