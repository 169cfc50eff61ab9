import pytest

from chassis.testing import RecordedEvents
from contracts.auth import AccessRevoked
from contracts.users import UserDeactivated, UserRegistered
from users.service.administration import update_user
from users.service.errors import AccountExists, ChangeNotAllowed
from users.service.model import UserChanges
from users.service.registration import Registration, register, register_self
from users.tests.unit.fakes import (
    Commits,
    FakeRefreshTokens,
    FakeUsers,
    PlainHasher,
    a_user,
    new_id,
)


def _update(users: FakeUsers, user_id: int, changes: UserChanges, actor_id: int) -> RecordedEvents:
    events = RecordedEvents()
    update_user(
        user_id,
        changes,
        actor_id=actor_id,
        users=users,
        refresh_tokens=FakeRefreshTokens(),
        events=events,
        commit=Commits(),
    )
    return events


def test_registration_hashes_the_password_and_announces_the_user() -> None:
    users, events = FakeUsers(), RecordedEvents()

    user = register(
        Registration("bob", "Bob@Example.com", "pumps hum at dawn"),
        new_id=new_id(),
        users=users,
        hasher=PlainHasher(),
        events=events,
    )

    assert user.password_hash == "plain:pumps hum at dawn"
    assert user.email == "bob@example.com"
    assert isinstance(events.recorded[0], UserRegistered)


def test_registration_refuses_a_taken_email_in_another_case() -> None:
    users = FakeUsers(a_user("bob"))

    with pytest.raises(AccountExists):
        register(
            Registration("robert", "BOB@example.com", "pumps hum at dawn"),
            new_id=new_id(),
            users=users,
            hasher=PlainHasher(),
            events=RecordedEvents(),
        )


def test_self_registration_with_a_taken_email_answers_like_a_new_account_and_stores_nothing() -> (
    None
):
    bob = a_user("bob")
    users, events, hasher = FakeUsers(bob), RecordedEvents(), PlainHasher()

    answer = register_self(
        Registration("robert", "BOB@example.com", "pumps hum at dawn"),
        new_id=new_id(),
        users=users,
        hasher=hasher,
        events=events,
    )

    assert (answer.username, answer.email, answer.role) == (
        "robert",
        "bob@example.com",
        "technician",
    )
    assert answer.password_hash == "plain:pumps hum at dawn"  # it cost a hash, as a new one does
    assert list(users.users) == [bob.id]
    assert events.recorded == []


def test_deactivation_is_announced() -> None:
    admin, bob = a_user("root", role="admin"), a_user("bob")

    events = _update(FakeUsers(admin, bob), bob.id, UserChanges(active=False), admin.id)

    assert isinstance(events.recorded[0], UserDeactivated)
    assert not bob.active


def test_deactivation_and_a_role_change_revoke_the_users_access_tokens() -> None:
    admin, bob, carol = a_user("root", role="admin"), a_user("bob"), a_user("carol")
    users = FakeUsers(admin, bob, carol)

    gone = _update(users, bob.id, UserChanges(active=False), admin.id).recorded
    promoted = _update(users, carol.id, UserChanges(role="operator"), admin.id).recorded

    assert [(e.user_id, e.reason) for e in gone if isinstance(e, AccessRevoked)] == [
        (bob.id, "deactivated")
    ]
    assert [(e.user_id, e.reason) for e in promoted if isinstance(e, AccessRevoked)] == [
        (carol.id, "role_changed")
    ]


def test_setting_the_role_a_user_has_revokes_nothing() -> None:
    admin, bob = a_user("root", role="admin"), a_user("bob")

    events = _update(FakeUsers(admin, bob), bob.id, UserChanges(role="technician"), admin.id)

    assert events.recorded == []


def test_an_admin_cannot_deactivate_themselves() -> None:
    admin = a_user("root", role="admin")

    with pytest.raises(ChangeNotAllowed):
        _update(FakeUsers(admin), admin.id, UserChanges(active=False), admin.id)
