"""Turn a pydantic ValidationError into one ConfigError that says where each bad value came from,
and which key an unknown one probably meant."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsError

from chassis.config._layers import ARGUMENTS, ENVIRONMENT, Layer
from chassis.config._tree import Loc, suggestion
from chassis.config.errors import ConfigError, ConfigProblem

_MISSING = object()


def explain(
    settings_cls: type[BaseSettings], exc: ValidationError, layers: list[Layer]
) -> ConfigError:
    """Every error of `exc` as a ConfigProblem naming its source among `layers`."""
    env = _Environment(settings_cls)
    return ConfigError(env.service, [_problem(settings_cls, e, layers, env) for e in exc.errors()])


def explain_unreadable(settings_cls: type[BaseSettings], exc: SettingsError) -> ConfigError:
    """A value no source could decode (a variable for a section or a dict that is not JSON)."""
    env = _Environment(settings_cls)
    named = re.search(r'field "([^"]+)"', str(exc))
    if named is None:
        return ConfigError(env.service, [ConfigProblem("(settings)", str(exc))])
    field = named.group(1)
    detail = f"a value is not valid JSON (environment variable {env.name([field])} or below)"
    return ConfigError(env.service, [ConfigProblem(field, detail)])


SECRETS_FILE = ".secrets.toml"


def secrets_variable(settings_cls: type[BaseSettings]) -> str:
    """The variable naming a service's secrets file: USERS_SECRETS_FILE (one underscore, so
    it is never read as a setting)."""
    return f"{_Environment(settings_cls).service.upper()}_SECRETS_FILE"


def toml_paths(settings_cls: type[BaseSettings]) -> list[Path]:
    """The settings files of `settings_cls`, lowest priority first. A pex or an image runs
    its package from an unpacked copy, where no one puts a secrets file: the variable names
    the one to read instead (relative to the working directory)."""
    files = settings_cls.model_config.get("toml_file") or []
    paths = [Path(str(f)) for f in (files if isinstance(files, list | tuple) else [files])]
    named = os.environ.get(secrets_variable(settings_cls))
    if named:
        paths = [p for p in paths if p.name != SECRETS_FILE] + [Path(named).absolute()]
    return paths


def secrets_file_problems(settings_cls: type[BaseSettings]) -> list[ConfigProblem]:
    """A secrets file named that is not there: said, not read as "no secrets"."""
    named = os.environ.get(secrets_variable(settings_cls))
    if not named or Path(named).is_file():
        return []
    path = Path(named).absolute()
    detail = f"{secrets_variable(settings_cls)} names {path}, which is not a readable file"
    return [ConfigProblem("(secrets file)", detail)]


def _problem(
    settings_cls: type[BaseSettings], error: ErrorDetails, layers: list[Layer], env: _Environment
) -> ConfigProblem:
    loc = error["loc"]
    field = ".".join(map(str, loc)) or "(settings)"
    holders = [layer for layer in layers if _lookup(layer.data, loc) is not _MISSING]
    if error["type"] == "extra_forbidden":
        sources = ", ".join(env.describe(layer, loc) for layer in holders) or "unknown source"
        meant = suggestion(settings_cls, loc)
        hint = f"; did you mean {meant}?" if meant else ""
        return ConfigProblem(field, f"unknown key (from {sources}){hint}", unknown=True)
    if error["type"] == "missing":
        where = ", ".join(p.name for p in toml_paths(settings_cls))
        return ConfigProblem(field, f"required; set it in {where} or as {env.name(loc)}")
    # The highest layer holding the value is the one that won, so the one to blame.
    source = env.describe(holders[0], loc) if holders else "defaults"
    return ConfigProblem(field, f"{error['msg']} (got {error.get('input')!r} from {source})")


class _Environment:
    """The names of the environment variables behind a location."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        config = settings_cls.model_config
        self.prefix = str(config.get("env_prefix") or "")
        self.delimiter = str(config.get("env_nested_delimiter") or "__")
        self.service = self.prefix.rstrip("_").lower() or settings_cls.__name__

    def name(self, loc: Loc) -> str:
        return self.prefix + self.delimiter.join(str(part).upper() for part in loc)

    def describe(self, layer: Layer, loc: Loc) -> str:
        if layer.label == ARGUMENTS:
            return ARGUMENTS
        if layer.label != ENVIRONMENT:
            return layer.label
        names = self.variables(loc) or [self.name(loc)]
        return f"environment variable{'s' if len(names) > 1 else ''} {', '.join(names)}"

    def variables(self, loc: Loc) -> list[str]:
        """The variables set for `loc`: its own, one below it, or one above holding JSON."""
        full, delimiter = self.name(loc).upper(), self.delimiter.upper()
        found = []
        for variable in os.environ:
            upper = variable.upper()
            own_or_below = upper == full or upper.startswith(full + delimiter)
            above = len(upper) > len(self.prefix) and full.startswith(upper + delimiter)
            if own_or_below or above:
                found.append(variable)
        return sorted(found)


def _lookup(data: Any, loc: Loc) -> Any:
    for part in loc:
        listed = isinstance(data, list | tuple) and isinstance(part, int) and part < len(data)
        if not listed and not (isinstance(data, Mapping) and part in data):
            return _MISSING
        data = data[part]
    return data
