"""The secrets the repository itself once shipped for local use, refused outside dev.

Anyone who reads the repository knows these values, so a deployment that runs with one is open
to anyone. The local fleet and compose generate random secrets; these are the old defaults and
examples (docker-compose.yml before it generated its own, docs), kept here so a copied `.env`
or values file cannot carry one into staging or prod. The chart refuses the same list
(deploy/helm/service/templates/_helpers.tpl, `service.refuseDevelopmentSecrets`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, SecretBytes, SecretStr

from chassis.config.errors import ConfigProblem

DEVELOPMENT_ENVIRONMENT = "dev"

KNOWN_DEVELOPMENT_SECRETS = (
    "fleet-local-only",
    "users-local-only",
    "tasks-local-only",
    "devices-local-only",
    "devices-local-only-secret",
    # The argon2 hash of devices-local-only-secret: it lets that secret log in as devices.
    "$argon2id$v=19$m=65536,t=3,p=4$B7bxcEqQFPU/EhFoLfrawA$QpdEWLh8WyWxe7/AExaU6I9cF8uwwKk7Fm8ESyn8BQ8",
)


def development_secret_problems(settings: BaseModel, environment: str) -> list[ConfigProblem]:
    """One problem per setting holding a known development secret, unless `environment` is dev."""
    if environment == DEVELOPMENT_ENVIRONMENT:
        return []
    return [
        ConfigProblem(
            field,
            f"holds a development secret published in the repository; refused in environment "
            f"{environment!r} (only {DEVELOPMENT_ENVIRONMENT!r} accepts it): set a secret of "
            "your own",
        )
        for field, text in _texts(settings, "")
        if any(secret in text for secret in KNOWN_DEVELOPMENT_SECRETS)
    ]


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every string-like leaf, secrets revealed."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}.{index}")
    elif isinstance(value, SecretStr | SecretBytes):
        secret = value.get_secret_value()
        yield path, secret.decode(errors="replace") if isinstance(secret, bytes) else secret
    elif value is not None and not isinstance(value, bool | int | float):
        yield path, str(value)
