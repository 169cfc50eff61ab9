"""The id type every Fleet entity and event carries: a 64-bit snowflake, a string in JSON.

JavaScript numbers lose precision above 2**53, so ids travel as strings; Python code keeps ints.
The generator lives in the chassis (database layer); contracts only need the type, so producers
and consumers in any language agree on the wire format.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

LAST_ID = 2**63 - 1
"""The largest id: ids are signed 64-bit integers (PostgreSQL's bigint)."""


def parse_id(text: str) -> int | None:
    """The id written in `text` (ASCII digits, at most 19), or None if it is not one."""
    # isdigit() alone also accepts digits such as "²", which int() refuses.
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return int(text)
    return None


def _decimals_up_to(limit: int) -> str:
    """A regex (alternatives) for 1..`limit` in decimal without leading zeros: fewer digits, or
    as many that are smaller where they first differ from `limit`'s, or `limit` itself."""
    top = str(limit)
    smaller = [
        f"{top[:at]}[{'1' if at == 0 else '0'}-{int(digit) - 1}]" + _digits(len(top) - at - 1)
        for at, digit in enumerate(top)
        if int(digit) > (1 if at == 0 else 0)
    ]
    return "|".join([f"[1-9][0-9]{{0,{len(top) - 2}}}", *smaller, top])


def _digits(count: int) -> str:
    return f"[0-9]{{{count}}}" if count else ""


# Exactly the ids 0..2**63-1, as str(id) writes them. JSON Schema has no bounds for a number
# in a string, so the pattern carries them: a schema that admitted any 19 digits would promise
# ids up to 10**19-1 that validation refuses.
ID_PATTERN = f"^(?:0|{_decimals_up_to(LAST_ID)})$"
POSITIVE_ID_PATTERN = f"^(?:{_decimals_up_to(LAST_ID)})$"
"""The same without 0: ids that start at 1, such as users'."""
_ID = re.compile(ID_PATTERN)


def _from_wire(value: object) -> object:
    # JSON carries "123..." (the contract), and only that: int() would also take "0.0", " 1",
    # "+1" or "1_0", strings the pattern refuses. Plain ints pass, from Python callers.
    if isinstance(value, str):
        if _ID.fullmatch(value) is None:
            raise ValueError("must be a 64-bit id as a decimal string, without leading zeros")
        return int(value)
    return value


SnowflakeId = Annotated[
    int,
    BeforeValidator(_from_wire),
    Field(ge=0, le=LAST_ID),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "64-bit snowflake id, as a decimal string.",
        }
    ),
]
"""An int in Python, a decimal string in JSON; validation accepts either."""
