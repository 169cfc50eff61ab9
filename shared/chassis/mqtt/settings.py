"""How a service reaches the broker: every knob with its reason, defaults fit for production."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator


class Announcement(BaseModel):
    """A message the broker publishes for us: a birth message on connect or the last will."""

    topic: str = Field(description="Where it goes, e.g. fleet/devices/42/status.")
    payload: str = Field(description="What it says, e.g. online / offline.")
    qos: Literal[0, 1, 2] = 1
    retain: bool = Field(True, description="Presence is retained so late subscribers see it.")


class DedicatedConnection(BaseModel):
    """A connection of its own for one busy subscription (`Bus.subscribe(..., dedicated=...)`):
    its own network thread, a bound on what the service holds, and a protocol of its choice."""

    protocol: Literal["5", "3.1.1"] = Field(
        "5",
        description="3.1.1 costs paho about a third less CPU per message (no MQTT 5 properties "
        "to parse); the broker's max_inflight_messages is then the window it sends ahead.",
    )
    window: int = Field(
        2000,
        ge=1,
        le=65535,
        description="Messages held at once (queued or in a handler); at this many the "
        "connection stops reading and the broker keeps the rest.",
    )


class MqttSettings(BaseModel):
    """The MQTT section of a service's settings (`TASKS__MQTT__URL=mqtt://broker:1883`)."""

    url: str = Field(
        "mqtt://127.0.0.1:1883",
        description="mqtt://[user:password@]host[:port] of the broker.",
    )
    client_id: str | None = Field(
        None,
        description="Stable per replica, or the persistent session is lost on restart. "
        "Default: '<service>-<hostname>'.",
    )
    username: str | None = Field(None, description="Overrides the user in the URL.")
    password: SecretStr | None = Field(None, description="Overrides the password in the URL.")
    protocol: Literal["5", "3.1.1"] = Field(
        "5", description="MQTT 5 (user properties, session expiry) or 3.1.1 for older brokers."
    )
    keepalive: int = Field(30, ge=5, description="Seconds between pings on an idle connection.")
    clean_start: bool = Field(
        False, description="False keeps the session (subscriptions, unacked messages) on reconnect."
    )
    session_expiry: int = Field(
        3600,
        ge=0,
        description="MQTT 5: seconds the broker keeps the session while we are away.",
    )
    reconnect_min_delay: int = Field(1, ge=1, description="First reconnect wait, in seconds.")
    reconnect_max_delay: int = Field(30, ge=1, description="Reconnect waits double up to this.")
    connect_timeout: float = Field(
        5.0,
        ge=0,
        description="How long start() waits for the broker; after it the service starts "
        "degraded and keeps reconnecting.",
    )
    max_inflight: int = Field(
        1000,
        ge=1,
        le=60000,
        description="Publishes awaiting PUBACK at once; more wait (paho stalls on huge windows).",
    )
    receive_maximum: int = Field(
        100,
        ge=1,
        le=65535,
        description="MQTT 5: unacknowledged messages the broker may send us at once. Raise it "
        "for consumers that ack in batches.",
    )
    handler_attempts: int = Field(
        3,
        ge=1,
        description="Tries of a handler failing on a message before it is dead-lettered "
        "(handler_failed). A dependency that is down is waited for instead, however long.",
    )
    retry_delay: float = Field(
        0.2, ge=0, description="Seconds before a handler's second try; doubles after."
    )
    retry_max_delay: float = Field(
        2.0,
        gt=0,
        description="Longest wait between tries while a dependency is down: consumption "
        "resumes at most this long after it is back.",
    )
    stop_timeout: float = Field(
        10.0, ge=0, description="Seconds handlers in progress get to finish on stop."
    )
    dedupe_size: int = Field(
        10_000, ge=0, description="Event ids remembered in memory to drop duplicates."
    )
    dlq_topic: str | None = Field(None, description="Dead letters; default fleet/dlq/<service>.")
    will: Announcement | None = Field(
        None, description="Published by the broker if we vanish without a clean disconnect."
    )
    birth: Announcement | None = Field(None, description="Published by us on every connect.")

    @field_validator("url")
    @classmethod
    def _is_mqtt_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
            raise ValueError("must look like mqtt://host:1883")
        parts.port  # noqa: B018  (raises ValueError on a bad port)
        return url

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 1883

    def credentials(self) -> tuple[str | None, str | None]:
        parts = urlsplit(self.url)
        password = self.password.get_secret_value() if self.password else parts.password
        return self.username or parts.username, password
