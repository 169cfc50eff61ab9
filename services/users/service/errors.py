"""The users domain's errors; the app maps each to an HTTP status in one table (main.py)."""

from __future__ import annotations

from users.service.model import User


class UserNotFound(Exception):
    pass


class AccountExists(Exception):
    """The username or the email is taken."""


class EmailTaken(AccountExists):
    """The email is taken; `lookalike` is the account a new email would have got (not stored)."""

    def __init__(self, lookalike: User) -> None:
        super().__init__("email is already registered")
        self.lookalike = lookalike
        self.username = lookalike.username


class WeakPassword(Exception):
    """The password breaks a rule of the policy; the message names the rule."""


class InvalidCredentials(Exception):
    """Unknown user, wrong password or inactive account: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class InvalidRefreshToken(Exception):
    def __init__(self, reason: str = "refresh token is not valid") -> None:
        super().__init__(reason)


class TooManyAttempts(Exception):
    """Too many failed logins; `retry_after` (s) becomes the Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry in {retry_after}s")
        self.retry_after = retry_after


class ChangeNotAllowed(Exception):
    """An admin change that would lock the fleet out (e.g. demoting or deactivating oneself)."""
