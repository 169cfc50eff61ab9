import pytest

from users.service.errors import WeakPassword
from users.service.password_policy import check_password


def test_a_long_uncommon_password_passes() -> None:
    check_password("pumps hum at dawn", username="alice", email="alice@example.com")


def test_eleven_characters_are_too_short() -> None:
    with pytest.raises(WeakPassword, match="at least 12"):
        check_password("a" * 5 + "bcdefg", username="alice", email="alice@example.com")


def test_the_username_is_refused_whatever_its_case() -> None:
    with pytest.raises(WeakPassword, match="username or the email"):
        check_password("Technician42", username="technician42", email="t@example.com")


def test_the_email_is_refused() -> None:
    with pytest.raises(WeakPassword, match="username or the email"):
        check_password("bob@example.com", username="bob", email="bob@example.com")


def test_a_common_password_is_refused() -> None:
    with pytest.raises(WeakPassword, match="too common"):
        check_password("Password1234", username="alice", email="alice@example.com")
