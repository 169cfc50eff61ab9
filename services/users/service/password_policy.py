"""The password policy: long enough, not the account's own name, not a well-known password."""

from __future__ import annotations

from users.service.errors import WeakPassword

MIN_LENGTH = 12

# The most common passwords of at least 12 characters in public breach lists; a short list is
# enough here because the length rule already rules out the shorter favourites.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678910",
        "qwertyuiop12",
        "qwertyuiopasdfghjkl",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "passwordpassword",
        "password1234",
        "password12345",
        "password123456",
        "iloveyou1234",
        "administrator",
        "letmein12345",
        "welcome12345",
        "changeme1234",
        "aaaaaaaaaaaa",
        "111111111111",
        "000000000000",
        "abcdefghijkl",
        "abc123456789",
        "football1234",
        "baseball1234",
        "trustno11234",
        "correcthorsebatterystaple",
        "fleetpassword",
        "fleetfleetfleet",
    }
)


def check_password(password: str, *, username: str, email: str) -> None:
    """Raise WeakPassword naming the first rule `password` breaks."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"password must be at least {MIN_LENGTH} characters long")
    lowered = password.casefold()
    if lowered in {username.casefold(), email.casefold(), email.split("@")[0].casefold()}:
        raise WeakPassword("password must not be the username or the email")
    if lowered in COMMON_PASSWORDS:
        raise WeakPassword("password is too common (it is in the list of common passwords)")
