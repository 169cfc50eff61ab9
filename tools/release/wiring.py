"""The chart values a service's wiring needs in a cluster, derived from the services' descriptors
(services/<name>/service.toml), the same table the local fleet builds its environment from.

`release render` passes them to the chart as a values layer under deploy/helm/values/<name>.yaml
(`helm template -f <wiring> -f <values file>`), and refuses a values file that sets one of them:
the wiring is written once, in the descriptors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fleet.descriptor import Descriptor, identity_of


class WiringConflict(Exception):
    """A values file sets what the descriptors derive."""


def secret_ref(secret: str, key: str) -> dict[str, str]:
    return {"secret": secret, "key": key}


def wiring_values(fleet: Mapping[str, Descriptor], service: str) -> dict[str, Any]:
    """`service`'s wiring as chart values: its port, a base URL per callee (its Service on port
    80), the identity service's JWKS and token URLs, its account, and for the identity service
    the accounts' hashes and the signing key. Secrets by reference only."""
    described = fleet[service]
    config: dict[str, Any] = {c: {"base_url": f"http://{c}"} for c in described.calls}
    secrets: dict[str, dict[str, str]] = {}
    identity = identity_of(fleet)
    if identity is not None:
        users = f"http://{identity.name}"
        config["auth"] = {
            "jwks_url": f"{users}/.well-known/jwks.json",
            "token_url": f"{users}/v1/auth/token",
        }
    if described.account:
        config["account"] = {"client_id": service}
        secrets["ACCOUNT__CLIENT_SECRET"] = secret_ref(f"{service}-account", "client-secret")
    if described.identity:
        # JSON: client id -> argon2 hash of its secret (`users hash-secret`).
        secrets["SERVICE_ACCOUNTS"] = secret_ref(f"{service}-service-accounts", "accounts.json")
        secrets["TOKENS__SIGNING_KEY"] = secret_ref(f"{service}-signing-key", "private.pem")
    values: dict[str, Any] = {
        "http": {"port": described.port},
        "config": config,
        "networkPolicy": {"calls": list(described.calls)},
    }
    if secrets:
        values["secretEnv"] = secrets
    return values


def layered(wiring: Mapping[str, Any], values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """`values` over `wiring`, as helm merges two `-f` files (maps deep, the rest replaced);
    raises WiringConflict when `values` sets a wiring value (or a `secretEnv`/`config` entry
    the wiring has) itself."""
    taken = sorted(set(_leaves(wiring)) & set(_leaves(values)))
    if taken:
        raise WiringConflict(
            f"{source} sets {', '.join(taken)}: `release render` derives "
            f"{'it' if len(taken) == 1 else 'them'} from services/*/service.toml; remove "
            f"{'it' if len(taken) == 1 else 'them'} there"
        )
    return _merge(wiring, values)


def _leaves(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in values.items():
        path = f"{prefix}{key}"
        # A secret reference is one value: a hand-written `secretEnv.X` conflicts as a whole.
        if isinstance(value, Mapping) and not prefix.startswith("secretEnv."):
            yield from _leaves(value, f"{path}.")
        else:
            yield path


def _merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged
