"""The settings base every service extends, and the loader that explains what is wrong.

A key no setting has is refused at every depth, wherever it comes from (a settings file, an
environment variable, an argument): a typo or a renamed setting would otherwise leave the
service running on the default, which is found late and far from the cause (a signing key set
under the wrong section, a pod that cannot start on a read-only filesystem).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, IPvAnyNetwork, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from chassis.config._layers import layers_of, merged
from chassis.config._sources import (
    explain,
    explain_unreadable,
    secrets_file_problems,
    toml_paths,
)
from chassis.config.development_secrets import development_secret_problems
from chassis.config.errors import ConfigError


class HttpServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface to listen on (0.0.0.0 in containers).")
    port: int = Field(8000, ge=1, le=65535, description="TCP port of the service's HTTP API.")
    grace_period: float = Field(
        10.0, ge=0, description="Seconds in-flight requests get to finish after SIGTERM."
    )
    root_path: str = Field("", description="Path prefix when served behind a proxy.")
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Proxies (CIDRs, e.g. the ingress controller's pod range) whose "
        "X-Forwarded-For is believed: the client is its right-most address outside them. None by "
        "default: the socket peer is the client, whatever the headers say.",
    )


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


class TracingSettings(BaseModel):
    enabled: bool = Field(
        False, description="Record OpenTelemetry traces and export them over OTLP/HTTP."
    )
    endpoint: str = Field(
        "http://127.0.0.1:4318/v1/traces",
        pattern=r"^https?://",
        description="The OTLP/HTTP traces URL of a collector or backend (Jaeger, Tempo, the "
        "fleet monitor's receiver).",
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Headers sent with every export (a backend's API key: keep it in secrets).",
    )
    sampling_ratio: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of new traces recorded; a trace begun elsewhere follows its caller's "
        "decision.",
    )
    export_delay: float = Field(
        2.0, gt=0, le=60, description="Seconds finished spans wait to be exported in a batch."
    )


class ServiceSettings(BaseSettings):
    """What every service is configured with; services subclass it and add their own sections."""

    name: str = Field(description="The service's name, used in logs, metrics and topics.")
    environment: str = Field(
        "dev",
        description="Where it runs (dev, staging, prod): a label, except that outside dev the "
        "repository's known development secrets are refused (chassis.config.development_secrets).",
    )
    worker_id: int | None = Field(
        None,
        ge=0,
        lt=1024,
        description="Snowflake worker id, unique per running process. Unset (the default): "
        "each process claims a free one from its PostgreSQL database at start and holds it "
        "while it runs (SQLite: 0). Set: that one is claimed, and a start fails while another "
        "process holds it; for special cases only (a process without PostgreSQL, which must "
        "then be the service's only one).",
    )
    http: HttpServerSettings = HttpServerSettings()
    logging: LoggingSettings = LoggingSettings()
    monitor: MonitorSettings = MonitorSettings()
    tracing: TracingSettings = TracingSettings()

    def __init__(self, **values: Any) -> None:
        """Read every layer (`settings_customise_sources`), merge them, and validate refusing
        unknown keys at every depth: `extra="forbid"` at validation time reaches the sections
        too, whatever their own `model_config` says, so no section can forget it."""
        data = merged(layers_of(type(self), values))
        self.__pydantic_validator__.validate_python(data, self_instance=self, extra="forbid")

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
        """Build the settings, or raise ConfigError describing every invalid or unknown field at
        once, each with the file or variable it came from; outside dev, also every setting that
        holds one of the repository's development secrets."""
        missing = secrets_file_problems(cls)
        try:
            settings = cls(**overrides)
        except ValidationError as exc:
            error = explain(cls, exc, layers_of(cls, overrides))
            raise ConfigError(error.service, [*missing, *error.problems]) from None
        except SettingsError as exc:  # a value a source could not decode (JSON in a variable)
            raise explain_unreadable(cls, exc) from None
        problems = missing + development_secret_problems(settings, settings.environment)
        if problems:
            raise ConfigError(settings.name, problems)
        return settings


def service_config(name: str, module_file: str) -> SettingsConfigDict:
    """The settings config of service `name`: its files beside `module_file`'s package (the
    secrets file: or the one `NAME_SECRETS_FILE` names), and environment variables prefixed
    `NAME__` (nested with `__`: USERS__DATABASE__URL)."""
    folder = Path(module_file).resolve().parent
    return SettingsConfigDict(
        env_prefix=f"{name.upper()}__",
        env_nested_delimiter="__",
        toml_file=[folder / "settings.toml", folder / ".secrets.toml"],
        extra="forbid",
    )


def _toml_sources(settings_cls: type[BaseSettings]) -> list[PydanticBaseSettingsSource]:
    paths = toml_paths(settings_cls)
    # Later files override earlier ones, so .secrets.toml (last) wins over settings.toml.
    return [TomlConfigSettingsSource(settings_cls, toml_file=p) for p in reversed(paths)]
