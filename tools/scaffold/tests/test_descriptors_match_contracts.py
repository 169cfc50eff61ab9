"""What a descriptor says a service publishes is what its contracts module defines."""

from pathlib import Path

import pytest

from contracts.schema import event_types
from fleet.descriptor import descriptors

FLEET = descriptors(Path.cwd())  # the sandbox's root holds every services/*/service.toml


def _defined_by(module: str) -> set[str]:
    return {e.event_type for e in event_types() if e.__module__ == f"contracts.{module}"}


@pytest.mark.parametrize("name", sorted(FLEET))
def test_a_service_publishes_exactly_the_events_its_contracts_define(name: str) -> None:
    described = FLEET[name]
    # The identity service also publishes the access protocol's events (contracts.auth).
    defined = _defined_by(name) | (_defined_by("auth") if described.identity else set())
    assert set(described.mqtt.publishes if described.mqtt else ()) == defined
