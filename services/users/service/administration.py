"""What admins do to accounts: change a role, deactivate or reactivate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from chassis.db import EventLog
from contracts.auth import AccessRevoked
from contracts.users import UserDeactivated
from users.service.errors import ChangeNotAllowed, UserNotFound
from users.service.model import User, UserChanges
from users.service.ports import RefreshTokenRepository, UserRepository


def update_user(
    user_id: int,
    changes: UserChanges,
    *,
    actor_id: int | None,
    users: UserRepository,
    refresh_tokens: RefreshTokenRepository,
    events: EventLog,
    commit: Callable[[], None],
) -> User:
    """Apply an admin's `changes`. Deactivation ends the user's sessions and is announced; it
    and a role change revoke the access tokens the user holds, on every service."""
    user = users.get(user_id)
    if user is None:
        raise UserNotFound(f"no user {user_id}")
    if user.id == actor_id and (
        (changes.role is not None and changes.role != user.role) or changes.active is False
    ):
        # The last admin demoting themselves would leave nobody to manage users.
        raise ChangeNotAllowed("admins cannot change their own role or deactivate themselves")
    at = datetime.now(UTC)
    if changes.role is not None and changes.role != user.role:
        user.role = changes.role
        # Refreshing issues tokens with the new role; those with the old one stop now.
        events.record(AccessRevoked(user_id=user.id, reason="role_changed", revoked_at=at))
    if changes.active is False and user.active:
        user.active = False
        refresh_tokens.revoke_user(user.id)
        events.record(UserDeactivated(user_id=user.id, reason=changes.reason, deactivated_at=at))
        events.record(AccessRevoked(user_id=user.id, reason="deactivated", revoked_at=at))
    elif changes.active is True:
        user.active = True
    users.save(user)
    commit()
    return user
