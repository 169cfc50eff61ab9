"""Slowing password guessing without letting anyone lock a real user out (OWASP Authentication
and Credential Stuffing cheat sheets: throttle, never lock).

Three limits, counted in the service's database so every replica sees every attempt:

- **Per account and client** (`free_failures` 5, then `first_delay` 2 s doubling per failure up
  to `max_delay` 15 min; forgotten after `forget_after` 1 h without a failure, or at a success):
  the client that guesses is refused (429 + Retry-After) and only that client. Five free
  failures cover a user's typos; doubling makes guessing cost hours after a dozen tries (about
  four guesses an hour at the cap), while a user who waits is never refused for long.
- **Per account, from every client** (`account_alarm` 100 failures in the last hour): an account
  under a distributed attack gives each client that has already failed on it no free failures
  (one guess, then the doubling delay). It only slows: a client with no recent failure on the
  account is still let through to check its password, so the owner logs in during the attack.
  100 is far above what its owner's typos reach and what the per-client limit lets one client do.
- **Per client, across accounts** (`spray_accounts` 20 accounts failed on within `spray_window`
  15 min): password spraying (one or two common passwords over many accounts) stays under the
  per-account limits, so an address that fails on 20 accounts is refused on all until its count
  ages out. 20 accounts is more than the people who share a workstation; behind an ingress it
  counts each real client only when `http.trusted_proxies` names the ingress.

Refused attempts are not checked and not counted, so waiting is the only way forward. Checking
and counting are separate statements: a burst of concurrent guesses can pass one check together
(bounded by the worker threads), then the count catches up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from users.service.errors import TooManyAttempts
from users.service.ports import LoginFailures


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits' parameters (seconds); the module docstring gives each one's reason."""

    free_failures: int = 5
    first_delay: float = 2.0
    max_delay: float = 900.0
    forget_after: float = 3600.0
    account_alarm: int = 100
    spray_accounts: int = 20
    spray_window: float = 900.0

    def delay(self, failures: int, *, free: int) -> float:
        """How long a client must wait after its last failure, having failed `failures` times."""
        if failures < free:
            return 0.0
        return min(self.max_delay, self.first_delay * 2.0 ** (failures - free))


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LoginThrottle:
    """The limits applied to one login attempt of `client` (an address) on `account`."""

    def __init__(
        self,
        failures: LoginFailures,
        policy: ThrottlePolicy,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.failures = failures
        self.policy = policy
        self._clock = clock

    def check(self, account: str, client: str) -> None:
        """Raise TooManyAttempts (with the seconds to wait) if this client must wait."""
        now, policy = self._clock(), self.policy
        remembered = now - timedelta(seconds=policy.forget_after)
        ready_at = now
        mine = self.failures.of(account, client)
        if mine is not None and mine.last_at > remembered:
            free = policy.free_failures
            if self.failures.on_account(account, since=remembered) >= policy.account_alarm:
                free = min(free, 1)  # under attack: one guess, then the doubling delay
            wait = timedelta(seconds=policy.delay(mine.count, free=free))
            ready_at = max(ready_at, mine.last_at + wait)
        spray = timedelta(seconds=policy.spray_window)
        failed_on = self.failures.accounts_failed_from(
            client, since=now - spray, limit=policy.spray_accounts
        )
        if len(failed_on) >= policy.spray_accounts:
            ready_at = max(ready_at, min(failed_on) + spray)
        if ready_at > now:
            raise TooManyAttempts(retry_after=max(1, math.ceil((ready_at - now).total_seconds())))

    def failed(self, account: str, client: str) -> None:
        now = self._clock()
        forget_before = now - timedelta(seconds=self.policy.forget_after)
        self.failures.record(account, client, at=now, forget_before=forget_before)

    def succeeded(self, account: str, client: str) -> None:
        """The client proved it knows the password: its failures on the account are forgotten."""
        self.failures.clear(account, client)
