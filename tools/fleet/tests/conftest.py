"""The service pexes the runner starts (and each image runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Pants puts runtime_package_dependencies at their output path in the sandbox; outside Pants the
# pexes are wherever `./pants package` wrote them (dist/ of the repo).
_CANDIDATES = (Path.cwd(), Path(__file__).resolve().parents[3] / "dist")


@pytest.fixture(scope="session")
def dist() -> Path:
    found = next((d for d in _CANDIDATES if any(d.glob("services.*/pex.pex"))), None)
    if found is None:
        pytest.skip("no service pex: ./pants package services/users:pex ... first")
    return found
