"""The id type every Fleet entity and event carries: a 64-bit snowflake, a string in JSON.

JavaScript numbers lose precision above 2**53, so ids travel as strings; Python code keeps ints.
The generator lives in the chassis (database layer); contracts only need the type, so producers
and consumers in any language agree on the wire format.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema


def parse_id(text: str) -> int | None:
    """The id written in `text` (ASCII digits, at most 19), or None if it is not one."""
    # isdigit() alone also accepts digits such as "²", which int() refuses.
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return int(text)
    return None


def _from_wire(value: object) -> object:
    # JSON carries "123..." (the contract); accept plain ints too, from Python callers.
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


SnowflakeId = Annotated[
    int,
    BeforeValidator(_from_wire),
    Field(ge=0, lt=2**63),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{1,19}$",
            "description": "64-bit snowflake id, as a decimal string.",
        }
    ),
]
"""An int in Python, a decimal string in JSON; validation accepts either."""
