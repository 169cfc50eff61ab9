"""Turn a pydantic ValidationError into one message that says where each bad value came from."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings


def describe_errors(
    settings_cls: type[BaseSettings], exc: ValidationError, overrides: dict[str, Any]
) -> str:
    config = settings_cls.model_config
    prefix = str(config.get("env_prefix") or "")
    delimiter = str(config.get("env_nested_delimiter") or "__")
    tomls = toml_paths(settings_cls)
    service = prefix.rstrip("_").lower() or settings_cls.__name__
    lines = [f"Invalid configuration for {service} ({_count(exc.error_count())}):"]
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        field = ".".join(loc) or "(settings)"
        env_name = prefix + delimiter.join(part.upper() for part in loc)
        source = _source_of(loc, env_name, overrides, tomls)
        if error["type"] == "missing":
            where = ", ".join(p.name for p in tomls)
            lines.append(f"  - {field}: required; set it in {where} or as {env_name}")
        else:
            lines.append(f"  - {field}: {error['msg']} (got {error.get('input')!r} from {source})")
    return "\n".join(lines)


def _source_of(loc: list[str], env_name: str, overrides: dict[str, Any], tomls: list[Path]) -> str:
    if _lookup(overrides, loc) is not None:
        return "arguments"
    if any(name.upper().startswith(env_name.upper()) for name in os.environ):
        return f"environment variable {env_name}"
    for path in reversed(tomls):  # the later file wins, so it is the one to blame
        if path.is_file() and _lookup(tomllib.loads(path.read_text()), loc) is not None:
            return str(path.name)
    return "defaults"


def _lookup(data: Any, loc: list[str]) -> Any:
    for part in loc:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def toml_paths(settings_cls: type[BaseSettings]) -> list[Path]:
    """The settings files of `settings_cls`, lowest priority first."""
    files = settings_cls.model_config.get("toml_file") or []
    return [Path(str(f)) for f in (files if isinstance(files, list | tuple) else [files])]


def _count(n: int) -> str:
    return f"{n} problem" if n == 1 else f"{n} problems"
