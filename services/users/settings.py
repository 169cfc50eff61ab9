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
    """How failed logins slow the client that fails (users/service/login_throttle.py: reasons)."""

    free_failures: int = Field(
        5, ge=1, description="Failures a client may make on an account before it must wait."
    )
    first_delay: float = Field(
        2.0,
        gt=0,
        description="Seconds to wait after the first failure past the free ones; "
        "each further failure doubles it.",
    )
    max_delay: float = Field(900.0, gt=0, description="The longest wait (s) between attempts.")
    forget_after: float = Field(
        3600.0,
        gt=0,
        description="Seconds without a failure after which a client's failures "
        "on an account are forgotten; also the window of account_alarm.",
    )
    account_alarm: int = Field(
        100,
        ge=1,
        description="Failures on one account from all clients (within forget_after) "
        "that mark it as under attack: clients that failed on it get no free failures. Clients "
        "that have not failed are never refused.",
    )
    spray_accounts: int = Field(
        20,
        ge=1,
        description="Accounts one client may fail on within spray_window before it is "
        "refused on every account (password spraying).",
    )
    spray_window: float = Field(900.0, gt=0, description="Seconds spray_accounts is counted over.")


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
