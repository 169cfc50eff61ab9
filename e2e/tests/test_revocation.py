"""Deactivation, a role change and a logout stop the user's access token on every service within
seconds, long before it expires: users announces `access.revoked`, each service's chassis hears
it on the bus."""

from __future__ import annotations

import time
import uuid

from devices_client import AuthenticatedClient as DevicesApi
from devices_client.api.devices import list_devices
from e2e.actors import DEMO_PASSWORD, People, eventually
from tasks_client import AuthenticatedClient as TasksApi
from tasks_client.api.tasks import list_tasks
from users_client import AuthenticatedClient as UsersApi
from users_client import Client as UsersAnonymous
from users_client.api.auth import issue_token, logout
from users_client.api.users import read_me, register_user, update_user
from users_client.models import (
    BodyIssueToken,
    RefreshRequest,
    TokenResponse,
    UserCreate,
    UserUpdate,
    UserUpdateRoleType0,
)

WITHIN = 5.0


class Holder:
    """A new technician's access and refresh tokens, and what each service answers to the
    access token."""

    def __init__(self, urls: dict[str, str]) -> None:
        username, password = f"rev-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
        with UsersAnonymous(base_url=urls["users"]) as anonymous:
            body = UserCreate(
                email=f"{username}@e2e.example.com", password=password, username=username
            )
            registered = register_user.sync_detailed(client=anonymous, body=body)
            assert registered.status_code == 201, registered.content
            answer = issue_token.sync_detailed(
                client=anonymous, body=BodyIssueToken(username=username, password=password)
            )
        assert isinstance(answer.parsed, TokenResponse), answer.content
        self.user_id = str(registered.parsed.id)  # type: ignore[union-attr]
        self.refresh_token = str(answer.parsed.refresh_token)
        token = answer.parsed.access_token
        self.users = UsersApi(base_url=urls["users"], token=token)
        self.tasks = TasksApi(base_url=urls["tasks"], token=token)
        self.devices = DevicesApi(base_url=urls["devices"], token=token)

    def answers(self) -> dict[str, int]:
        return {
            "users": read_me.sync_detailed(client=self.users).status_code,
            "tasks": list_tasks.sync_detailed(client=self.tasks).status_code,
            "devices": list_devices.sync_detailed(client=self.devices).status_code,
        }

    def close(self) -> None:
        for client in (self.users, self.tasks, self.devices):
            client.get_httpx_client().close()


def _refused_everywhere_within(holder: Holder, seconds: float, since: float) -> float:
    """Seconds from `since` until every service answered 401 to the holder's token."""
    refused = {"users": 401, "tasks": 401, "devices": 401}
    eventually(
        lambda: True if holder.answers() == refused else None,
        within=seconds,
        what="every service to refuse the revoked token",
    )
    return time.monotonic() - since


def test_a_deactivated_users_token_is_refused_by_every_service_within_seconds(
    people: People, urls: dict[str, str]
) -> None:
    admin = people.log_in("admin", DEMO_PASSWORD)
    holder = Holder(urls)
    try:
        assert holder.answers() == {"users": 200, "tasks": 200, "devices": 200}
        since = time.monotonic()
        done = update_user.sync_detailed(
            int(holder.user_id), client=admin.users, body=UserUpdate(active=False)
        )
        assert done.status_code == 200, done.content

        _refused_everywhere_within(holder, WITHIN, since)
    finally:
        holder.close()


def test_a_role_change_refuses_the_old_token_everywhere_within_seconds(
    people: People, urls: dict[str, str]
) -> None:
    admin = people.log_in("admin", DEMO_PASSWORD)
    holder = Holder(urls)
    try:
        since = time.monotonic()
        done = update_user.sync_detailed(
            int(holder.user_id),
            client=admin.users,
            body=UserUpdate(role=UserUpdateRoleType0.OPERATOR),
        )
        assert done.status_code == 200, done.content

        _refused_everywhere_within(holder, WITHIN, since)
    finally:
        holder.close()


def test_logging_out_refuses_the_sessions_token_everywhere_within_seconds(
    urls: dict[str, str],
) -> None:
    holder = Holder(urls)
    try:
        since = time.monotonic()
        with UsersAnonymous(base_url=urls["users"]) as anonymous:
            ended = logout.sync_detailed(
                client=anonymous, body=RefreshRequest(refresh_token=holder.refresh_token)
            )
        assert ended.status_code == 204, ended.content

        _refused_everywhere_within(holder, WITHIN, since)
    finally:
        holder.close()
