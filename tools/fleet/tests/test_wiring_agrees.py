"""The three ways Fleet runs a service wire it the same, as its descriptor says: the local fleet's
environment, docker-compose.yml's and the rendered manifests' (ConfigMap and Secret references).
Each is reduced to its wiring: the port, the services its URLs point at, its account, and for
the identity service the accounts' hashes and the signing key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import pytest

from fleet.descriptor import Descriptor, descriptors, identity_of
from fleet.tests.checkout import ROOT, SERVICES, compose, rendered_env, runner_env

FLEET = descriptors(ROOT)
SIGNING_KEY = ("TOKENS__SIGNING_KEY", "TOKENS__SIGNING_KEY_FILE", "TOKENS__KEYS_DIR")


def _target(url: str) -> str:
    """The service a URL reaches and the path: by host (compose, a cluster's Service) or by
    port (the local fleet; a browser's localhost in compose)."""
    parts = urlsplit(url)
    by_port = {d.port: d.name for d in FLEET.values()}
    name = parts.hostname if parts.hostname in FLEET else by_port.get(parts.port or 80, url)
    return f"{name}{parts.path}"


def wiring(name: str, env: Mapping[str, str]) -> dict[str, str]:
    """The wiring in `name`'s environment: setting -> what it points at ("set" for secrets)."""
    prefix = f"{name.upper()}__"
    settings = {k.removeprefix(prefix): v for k, v in env.items() if k.startswith(prefix)}
    found = {"HTTP__PORT": settings["HTTP__PORT"]}
    for setting, value in settings.items():
        if setting.endswith("__BASE_URL") or setting in ("AUTH__JWKS_URL", "AUTH__TOKEN_URL"):
            found[setting] = _target(value)
    for setting in ("ACCOUNT__CLIENT_ID", "ACCOUNT__CLIENT_SECRET", "SERVICE_ACCOUNTS"):
        if settings.get(setting):
            found[setting] = settings[setting] if setting == "ACCOUNT__CLIENT_ID" else "set"
    if any(settings.get(k) for k in SIGNING_KEY):
        found["signing key"] = "set"
    return found


def described(service: Descriptor) -> dict[str, str]:
    """The wiring the descriptors give `service`."""
    expected = {"HTTP__PORT": str(service.port)}
    expected |= {f"{c.upper()}__BASE_URL": f"{c}" for c in service.calls}
    identity = identity_of(FLEET)
    if identity is not None:
        expected["AUTH__JWKS_URL"] = f"{identity.name}/.well-known/jwks.json"
        expected["AUTH__TOKEN_URL"] = f"{identity.name}/v1/auth/token"
    if service.account:
        expected |= {"ACCOUNT__CLIENT_ID": service.name, "ACCOUNT__CLIENT_SECRET": "set"}
    if service.identity:
        expected |= {"SERVICE_ACCOUNTS": "set", "signing key": "set"}
    return expected


def _local(name: str) -> dict[str, str]:
    return runner_env(
        name, host="127.0.0.1", mqtt_url="mqtt://127.0.0.1:1883", database="sqlite:///{name}"
    )


def _compose(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in compose()["services"][name]["environment"].items()}


WAYS: dict[str, Callable[[str], Mapping[str, str]]] = {
    "local fleet": _local,
    "docker-compose.yml": _compose,
    "rendered manifests": rendered_env,
}


def test_every_service_has_a_descriptor() -> None:
    assert sorted(FLEET) == sorted(SERVICES)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", SERVICES)
def test_each_way_of_running_a_service_wires_it_as_its_descriptor_says(name: str, way: str) -> None:
    assert wiring(name, WAYS[way](name)) == described(FLEET[name])
