"""The Ingress exposes the API only: never /metrics, /monitor or /health; the docs on request."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.tests.support import LAYOUT
from fleet.descriptor import descriptors, identity_of
from release.render import render_objects, service_values

SERVICES = LAYOUT.services()
# The service whose token keys everyone reads: its Ingress routes them too.
IDENTITY = identity_of(descriptors(LAYOUT.root))


def _paths(service: str, **ingress: Any) -> dict[str, str]:
    values = service_values(LAYOUT, service)
    values["ingress"] = {**values["ingress"], **ingress}
    objects = render_objects(LAYOUT.chart, values, release_name=service)
    (ingress_object,) = [o for o in objects if o["kind"] == "Ingress"]
    rules = ingress_object["spec"]["rules"][0]["http"]["paths"]
    return {rule["path"]: rule["pathType"] for rule in rules}


@pytest.mark.parametrize("service", SERVICES)
def test_only_the_api_is_routed(service: str) -> None:
    paths = _paths(service)
    assert paths.pop("/v1") == "Prefix"
    identity = IDENTITY is not None and service == IDENTITY.name
    assert paths == ({"/.well-known/jwks.json": "Exact"} if identity else {})


def test_the_docs_are_routed_only_when_the_values_ask() -> None:
    paths = _paths("tasks", docs=True)
    assert paths == {
        "/v1": "Prefix",
        "/docs": "Prefix",
        "/redoc": "Prefix",
        "/openapi.json": "Exact",
    }


@pytest.mark.parametrize("path", ["/metrics", "/monitor", "/monitor/snapshot", "/health/ready"])
def test_operations_paths_cannot_be_routed_through_values(path: str) -> None:
    with pytest.raises(Exception, match="exactPaths"):
        _paths("tasks", exactPaths=[path])
