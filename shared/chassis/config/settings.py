"""The settings base every service extends, and the loader that explains what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from chassis.config._sources import describe_errors, toml_paths


class ConfigError(Exception):
    """Invalid configuration: one message naming every bad field and where its value came from."""


class HttpServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface to listen on (0.0.0.0 in containers).")
    port: int = Field(8000, ge=1, le=65535, description="TCP port of the service's HTTP API.")
    grace_period: float = Field(
        10.0, ge=0, description="Seconds in-flight requests get to finish after SIGTERM."
    )
    root_path: str = Field("", description="Path prefix when served behind a proxy.")


class LoggingSettings(BaseModel):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["console", "json"] = Field(
        "console",
        description="console: colored, aligned lines for people; json: one object a line.",
    )
    file: Path | None = Field(None, description="Also append log lines to this file.")
    access_log: bool = Field(True, description="One line per HTTP request (not /health, /metrics).")


class MonitorSettings(BaseModel):
    enabled: bool = Field(True, description="Serve the live /monitor page (NiceGUI).")
    refresh_seconds: float = Field(1.0, gt=0, description="How often the page refreshes its data.")


class ServiceSettings(BaseSettings):
    """What every service is configured with; services subclass it and add their own sections."""

    name: str = Field(description="The service's name, used in logs, metrics and topics.")
    environment: str = Field("dev", description="Where it runs (dev, staging, prod); a label only.")
    worker_id: int = Field(
        0, ge=0, lt=1024, description="Snowflake worker id: unique per running replica."
    )
    http: HttpServerSettings = HttpServerSettings()
    logging: LoggingSettings = LoggingSettings()
    monitor: MonitorSettings = MonitorSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Highest priority first: init kwargs, environment, .secrets.toml, settings.toml.
        return init_settings, env_settings, *_toml_sources(settings_cls)

    @classmethod
    def load(cls, **overrides: Any) -> Self:
        """Build the settings, or raise ConfigError describing every invalid field at once."""
        try:
            return cls(**overrides)
        except ValidationError as exc:
            raise ConfigError(describe_errors(cls, exc, overrides)) from None


def service_config(name: str, module_file: str, **extra: Any) -> SettingsConfigDict:
    """The settings config of service `name`: its files beside `module_file`'s package, and
    environment variables prefixed `NAME__` (nested with `__`: USERS__DATABASE__URL)."""
    folder = Path(module_file).resolve().parent
    config = SettingsConfigDict(
        env_prefix=f"{name.upper()}__",
        env_nested_delimiter="__",
        toml_file=[folder / "settings.toml", folder / ".secrets.toml"],
        extra="forbid",
    )
    config.update(extra)  # type: ignore[typeddict-item]
    return config


def _toml_sources(settings_cls: type[BaseSettings]) -> list[PydanticBaseSettingsSource]:
    paths = toml_paths(settings_cls)
    # Later files override earlier ones, so .secrets.toml (last) wins over settings.toml.
    return [TomlConfigSettingsSource(settings_cls, toml_file=p) for p in reversed(paths)]
