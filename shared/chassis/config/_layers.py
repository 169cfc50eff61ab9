"""The layers a service's settings are built from, kept apart so an error can name its layer.

pydantic-settings reads its sources and merges them before validation; we keep each source's
data (arguments, environment, each TOML file) so that a bad or unknown key can be traced to the
file or variable that holds it. The environment source here also hands over the variables that
pydantic-settings never looks at: it reads only the names of fields, so `USERS__AUTHX__FOO`
(a typo in a section's name) or `USERS__WORKER_ID__X` (a key below a plain value) would be
ignored and the service would quietly run on the default. Handed over, validation refuses them
like any other unknown key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    TomlConfigSettingsSource,
)

from chassis.config._tree import accepted_keys, takes_keys

ARGUMENTS = "arguments"
ENVIRONMENT = "environment"


@dataclass(frozen=True)
class Layer:
    """One source's data: `label` is ARGUMENTS, ENVIRONMENT or the path of a settings file."""

    label: str
    data: Mapping[str, Any]


class PrefixedEnvironment(EnvSettingsSource):
    """The environment as pydantic-settings reads it, plus every variable with the service's
    prefix that names no field (or a key below a field that has none), for validation to
    refuse. Without a prefix every variable of the process would qualify: none is added then."""

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        prefix = self.env_prefix if self.case_sensitive else self.env_prefix.lower()
        delimiter = self.env_nested_delimiter
        if not prefix or not delimiter:
            return data
        fields = self.settings_cls.model_fields
        known = {
            k if self.case_sensitive else k.lower(): k for k in accepted_keys(self.settings_cls)
        }
        for name, value in self.env_vars.items():
            if not name.startswith(prefix):
                continue
            head, *below = name[len(prefix) :].split(delimiter)
            if head not in known:
                _put(data, [head, *below], value)  # refused as `head`, the misspelt section
            elif below and not _has_keys(fields, known[head]):
                data[name[len(prefix) :]] = value  # refused as `worker_id__x`, whole
        return data


def layers_of(settings_cls: type[BaseSettings], arguments: dict[str, Any]) -> list[Layer]:
    """Every layer of `settings_cls`, highest priority first, as its
    `settings_customise_sources` orders them."""
    sources = settings_cls.settings_customise_sources(
        settings_cls,
        init_settings=InitSettingsSource(settings_cls, init_kwargs=arguments),
        env_settings=PrefixedEnvironment(settings_cls),
        dotenv_settings=DotEnvSettingsSource(settings_cls),
        file_secret_settings=SecretsSettingsSource(settings_cls),
    )
    return [Layer(_label(source), source()) for source in sources]


def merged(layers: list[Layer]) -> dict[str, Any]:
    """One mapping: a higher layer's value wins, sections are merged key by key."""
    result: dict[str, Any] = {}
    for layer in reversed(layers):
        result = _deep_update(result, layer.data)
    return result


def _label(source: PydanticBaseSettingsSource) -> str:
    if isinstance(source, TomlConfigSettingsSource):  # a subclass of InitSettingsSource
        return str(source.toml_file_path)
    if type(source) is InitSettingsSource:
        return ARGUMENTS
    if isinstance(source, EnvSettingsSource):
        return ENVIRONMENT
    return type(source).__name__


def _has_keys(fields: Mapping[str, Any], key: str) -> bool:
    field = fields.get(key)
    return field is None or takes_keys(field.annotation)  # an alias: leave it to validation


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node.setdefault(path[-1], value)


def _deep_update(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in update.items():
        current = result.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            result[key] = _deep_update(current, value)
        else:
            result[key] = value
    return result
