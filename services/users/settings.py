"""The users service's settings: settings.toml < .secrets.toml < USERS__* environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr

from chassis.auth import AuthSettings
from chassis.config import ServiceSettings, service_config
from chassis.db import DatabaseSettings
from chassis.mqtt import MqttSettings
from chassis.outbox import OutboxSettings


class TokenSettings(BaseModel):
    """How access and refresh tokens are issued, and where the signing keys come from."""

    access_ttl: float = Field(900.0, gt=0, le=3600, description="Access token lifetime (s).")
    refresh_ttl: float = Field(
        14 * 24 * 3600.0, gt=0, description="Refresh token lifetime (s); rotation keeps the family."
    )
    signing_key: SecretStr | None = Field(
        None, description="The current Ed25519 private key (PEM), from a secret. Wins over files."
    )
    previous_signing_key: SecretStr | None = Field(
        None, description="The key before it (PEM): still published so its tokens verify."
    )
    signing_key_file: Path | None = Field(
        None, description="A PEM file holding the current key (a mounted secret)."
    )
    keys_dir: Path = Field(
        Path(".fleet/users/keys"),
        description="Where keys are kept when no key is configured (gitignored); rotate-keys "
        "writes here.",
    )
    generate_keys: bool = Field(
        True,
        description="Generate a key into keys_dir at first start when none exists (dev). Turn "
        "off where keys must come from a secret.",
    )


class LoginLimitSettings(BaseModel):
    """Failed logins tolerated per username and per client address before 429."""

    max_failures: int = Field(5, ge=1, description="Failures allowed within the window.")
    window: float = Field(60.0, gt=0, description="Seconds the failures are counted over.")


class UsersSettings(ServiceSettings):
    model_config = service_config("users", __file__)

    name: str = "users"
    database: DatabaseSettings = DatabaseSettings()
    mqtt: MqttSettings = MqttSettings()
    outbox: OutboxSettings = OutboxSettings()
    auth: AuthSettings = AuthSettings()
    tokens: TokenSettings = TokenSettings()
    login_limit: LoginLimitSettings = LoginLimitSettings()
    service_accounts: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Client id -> argon2 hash of its secret (`users hash-secret`), from secrets.",
    )
