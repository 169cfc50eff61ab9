"""The users domain's errors, each with the HTTP status it answers."""

from __future__ import annotations

from chassis.errors import DomainError
from users.service.model import User


class UserNotFound(DomainError):
    """No user has that id."""

    status = 404


class AccountExists(DomainError):
    """The username or the email is taken."""

    status = 409


class EmailTaken(AccountExists):
    """The email is taken; `lookalike` is the account a new email would have got (not stored)."""

    def __init__(self, lookalike: User) -> None:
        super().__init__("email is already registered")
        self.lookalike = lookalike
        self.username = lookalike.username


class WeakPassword(DomainError):
    """The password breaks a rule of the policy; the message names the rule."""

    status = 422


class InvalidCredentials(DomainError):
    """Unknown user, wrong password or inactive account: deliberately indistinguishable."""

    status = 401

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class InvalidRefreshToken(DomainError):
    """The refresh token cannot be used (unknown, reused, expired, account inactive): says why."""

    status = 401

    def __init__(self, reason: str = "refresh token is not valid") -> None:
        super().__init__(reason)


class TooManyAttempts(DomainError):
    """Too many failed logins; `retry_after` (s) becomes the Retry-After header."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry in {retry_after}s")
        self.retry_after = retry_after


class ChangeNotAllowed(DomainError):
    """An admin change that would lock the fleet out (e.g. demoting or deactivating oneself)."""

    status = 403
