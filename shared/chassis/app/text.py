"""Text a request may carry into the database: PostgreSQL text cannot hold NUL characters."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class _NoNulDeclared:
    """Says in the OpenAPI what `_storable` enforces, so clients and fuzzers know it."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        schema.setdefault("pattern", "^[^\\u0000]*$")
        return schema


Text = Annotated[str, AfterValidator(_storable), _NoNulDeclared()]
"""A `str` field, query or path parameter that is refused (422 naming it) when it holds NUL:
PostgreSQL would refuse it later, as a server error."""
