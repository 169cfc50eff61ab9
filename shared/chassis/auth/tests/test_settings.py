"""What AuthSettings lets a service configure."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chassis.auth import AuthSettings


@pytest.mark.parametrize("algorithm", ["HS256", "none"])
def test_refuses_symmetric_or_no_algorithm(algorithm: str) -> None:
    with pytest.raises(ValidationError, match="algorithms"):
        AuthSettings(algorithms=[algorithm])


def test_accepts_eddsa_and_rs256_by_default() -> None:
    assert AuthSettings().algorithms == ["EdDSA", "RS256"]
