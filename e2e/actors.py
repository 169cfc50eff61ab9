"""The people and the device of the e2e stories, acting only through the generated clients and
MQTT, as any consumer of Fleet's APIs would."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from contracts import topics
from contracts.devices import Reading
from devices_client import AuthenticatedClient as DevicesApi
from tasks_client import AuthenticatedClient as TasksApi
from users_client import AuthenticatedClient as UsersApi
from users_client import Client as UsersAnonymous
from users_client.api.auth import issue_token
from users_client.api.users import read_me, register_user, update_user
from users_client.models import (
    BodyIssueToken,
    TokenResponse,
    UserCreate,
    UserPublic,
    UserUpdate,
    UserUpdateRoleType0,
)

T = TypeVar("T")

# The demo accounts' password the e2e fleet starts with (FLEET_DEMO_PASSWORD).
DEMO_PASSWORD = "e2e-demo-password"


@dataclass(frozen=True)
class Person:
    """Someone logged in: their id and an API client per service, holding their token."""

    user_id: str
    username: str
    users: UsersApi
    tasks: TasksApi
    devices: DevicesApi


class People:
    """Logs people in; closes every client it handed out when the test is over."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls
        self._opened: list[UsersApi | TasksApi | DevicesApi] = []

    def log_in(self, username: str, password: str) -> Person:
        """The OAuth2 password grant at users, then a client per service with the token."""
        with UsersAnonymous(base_url=self.urls["users"]) as anonymous:
            answer = issue_token.sync_detailed(
                client=anonymous, body=BodyIssueToken(username=username, password=password)
            )
        token = answer.parsed
        assert isinstance(token, TokenResponse), (answer.status_code, answer.content)
        users = UsersApi(base_url=self.urls["users"], token=token.access_token)
        tasks = TasksApi(base_url=self.urls["tasks"], token=token.access_token)
        devices = DevicesApi(base_url=self.urls["devices"], token=token.access_token)
        self._opened += [users, tasks, devices]
        me = read_me.sync(client=users)
        assert isinstance(me, UserPublic)
        return Person(me.id, username, users, tasks, devices)

    def new_technician(self) -> Person:
        """Self-registration (a new account is a technician), then logged in."""
        return self.log_in(*self._register())

    def new_operator(self, admin: Person) -> Person:
        """A new account the admin makes an operator, logged in with that role."""
        username, password = self._register()
        account = self.log_in(username, password)
        promoted = update_user.sync_detailed(
            int(account.user_id),
            client=admin.users,
            body=UserUpdate(role=UserUpdateRoleType0.OPERATOR),
        )
        assert promoted.status_code == 200, promoted.content
        return self.log_in(username, password)

    def _register(self) -> tuple[str, str]:
        username = f"tech-{uuid.uuid4().hex[:8]}"
        password = f"pw-{uuid.uuid4().hex}"
        with UsersAnonymous(base_url=self.urls["users"]) as anonymous:
            answer = register_user.sync_detailed(
                client=anonymous,
                body=UserCreate(
                    email=f"{username}@e2e.example.com", password=password, username=username
                ),
            )
        assert answer.status_code == 201, answer.content
        return username, password

    def close(self) -> None:
        for client in self._opened:
            client.get_httpx_client().close()


def eventually(check: Callable[[], T | None], *, within: float, what: str) -> T:
    """Poll `check` until it returns something, or fail saying what never happened."""
    deadline = time.monotonic() + within
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"after {within:g} s, still waiting for {what}")
        time.sleep(0.25)


@dataclass
class Device:
    """A device on the bus: publishes readings to its telemetry topic at QoS 1 through paho,
    which queues them while the broker is away and sends them once it is back."""

    device_id: str
    broker_url: str
    client: mqtt.Client = field(init=False)
    sent: list[int] = field(default_factory=list)  # message ids
    acknowledged: set[int] = field(default_factory=set)
    _connected: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"e2e-device-{self.device_id}",
            clean_session=False,
        )
        self.client.max_queued_messages_set(0)  # unbounded: nothing dropped while away
        self.client.reconnect_delay_set(min_delay=1, max_delay=1)
        self.client.on_connect = lambda *_: self._connected.set()
        # PUBACK, also for a reading queued while the broker was away (its publish() said "not
        # connected", so MQTTMessageInfo would call it failed, though paho sends it later).
        self.client.on_publish = lambda _client, _data, mid, *_: self.acknowledged.add(mid)
        parts = urlsplit(self.broker_url)
        self.client.connect_async(parts.hostname or "127.0.0.1", parts.port or 1883)
        self.client.loop_start()
        assert self._connected.wait(10), f"the device could not connect to {self.broker_url}"

    def publish(self, **metrics: float) -> None:
        reading = Reading(ts=datetime.now(UTC), metrics=metrics).model_dump_json()
        self.sent.append(self.client.publish(topics.telemetry(self.device_id), reading, qos=1).mid)

    def wait_delivered(self, within: float) -> None:
        """Until the broker has acknowledged every reading sent, those queued while it was away
        included."""
        eventually(
            lambda: True if self.acknowledged.issuperset(self.sent) else None,
            within=within,
            what=f"the broker to acknowledge all {len(self.sent)} readings",
        )

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
