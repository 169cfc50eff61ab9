"""Text a request may carry into the database: PostgreSQL text cannot hold NUL characters."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_storable)]
"""A `str` field, query or path parameter that is refused (422 naming it) when it holds NUL:
PostgreSQL would refuse it later, as a server error."""
