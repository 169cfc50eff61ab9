import pytest

from users.service.authentication import authenticate, authenticate_service
from users.service.errors import InvalidCredentials
from users.service.login_throttle import LoginThrottle, ThrottlePolicy
from users.tests.unit.fakes import Commits, FakeLoginFailures, FakeUsers, PlainHasher, a_user

PASSWORD = "correct horse battery"


def _throttle() -> LoginThrottle:
    return LoginThrottle(FakeLoginFailures(), ThrottlePolicy())


def _login(users: FakeUsers, hasher: PlainHasher, username: str, password: str) -> None:
    authenticate(
        username,
        password,
        client="10.0.0.1",
        users=users,
        hasher=hasher,
        throttle=_throttle(),
        commit=Commits(),
    )


def test_an_unknown_user_costs_one_verification_like_a_wrong_password() -> None:
    users, unknown, wrong = FakeUsers(a_user("alice")), PlainHasher(), PlainHasher()

    with pytest.raises(InvalidCredentials):
        _login(users, unknown, "mallory", PASSWORD)
    with pytest.raises(InvalidCredentials):
        _login(users, wrong, "alice", "not the password")

    assert unknown.verifications == wrong.verifications == 1


def test_an_inactive_account_fails_like_a_wrong_password() -> None:
    users = FakeUsers(a_user("alice", active=False))

    with pytest.raises(InvalidCredentials):
        _login(users, PlainHasher(), "alice", PASSWORD)


def test_a_hash_made_with_old_parameters_is_replaced_at_login() -> None:
    alice = a_user("alice", password_hash="old:" + PASSWORD)
    users = FakeUsers(alice)

    _login(users, PlainHasher(), "alice", PASSWORD)

    assert users.users[alice.id].password_hash == "plain:" + PASSWORD
    assert users.saved == [alice.id]


def test_a_service_account_with_the_right_secret_is_recognised() -> None:
    client_id = authenticate_service(
        "devices",
        "s3cret-s3cret",
        client="10.0.0.2",
        accounts={"devices": "plain:s3cret-s3cret"},
        hasher=PlainHasher(),
        throttle=_throttle(),
        commit=Commits(),
    )

    assert client_id == "devices"


def test_an_unknown_service_account_still_costs_a_verification() -> None:
    hasher = PlainHasher()

    with pytest.raises(InvalidCredentials):
        authenticate_service(
            "nobody",
            "x",
            client="10.0.0.2",
            accounts={},
            hasher=hasher,
            throttle=_throttle(),
            commit=Commits(),
        )
    assert hasher.verifications == 1
