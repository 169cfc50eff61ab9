"""What the monitor watches and how it reaches it; built by the CLI, passed to everything."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator


class Credentials(BaseModel):
    """How the monitor gets a token for the services' APIs (OAuth2 password grant)."""

    token_url: str = Field(description="The identity service's POST /v1/auth/token.")
    username: str
    password: SecretStr


class MonitorSettings(BaseModel):
    """Every knob of the monitor; the fleet it watches is what its runner hands it (`fleet up`,
    compose: `--service NAME=URL` for each service)."""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    services: dict[str, str] = Field(
        default_factory=dict, description="Service name -> base URL; shown in this order."
    )
    broker: str = Field("mqtt://127.0.0.1:1883", description="mqtt://[user:password@]host[:port]")
    events_filter: str = Field("fleet/events/#", description="What the bus tail subscribes to.")
    events_kept: int = Field(50, ge=1, description="Envelopes the bus tail remembers.")
    bearer_token: SecretStr | None = Field(None, description="A ready token for the APIs.")
    credentials: Credentials | None = None
    refresh_seconds: float = Field(1.0, gt=0, description="Service polls and page refreshes.")
    devices_every: float = Field(
        5.0, gt=0, description="Seconds between device counts: they page the whole registry."
    )
    timeout: float = Field(2.0, gt=0, description="Per request; a slow service shows as down.")
    traces_kept: int = Field(200, ge=1, description="Traces the receiver keeps, newest first.")
    spans_kept: int = Field(20_000, ge=1, description="Spans kept in all: a bound on memory.")

    @field_validator("services")
    @classmethod
    def _urls_are_http(cls, services: dict[str, str]) -> dict[str, str]:
        for name, url in services.items():
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{name}: {url!r} must look like http://host:port")
        return {name: url.rstrip("/") for name, url in services.items()}

    @field_validator("broker")
    @classmethod
    def _broker_is_mqtt(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
            raise ValueError(f"{url!r} must look like mqtt://host:1883")
        return url

    @model_validator(mode="after")
    def _one_way_to_a_token(self) -> MonitorSettings:
        if self.bearer_token is not None and self.credentials is not None:
            raise ValueError("give either a bearer token or credentials, not both")
        return self

    @property
    def has_token_source(self) -> bool:
        return self.bearer_token is not None or self.credentials is not None
