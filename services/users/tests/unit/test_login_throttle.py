from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from users.service.errors import TooManyAttempts
from users.service.login_throttle import LoginThrottle, ThrottlePolicy
from users.tests.unit.fakes import FakeLoginFailures


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _throttle(clock: Clock, **policy: Any) -> LoginThrottle:
    return LoginThrottle(FakeLoginFailures(), ThrottlePolicy(**policy), clock=clock)


def _retry_after(throttle: LoginThrottle, account: str, client: str) -> int:
    with pytest.raises(TooManyAttempts) as refused:
        throttle.check(account, client)
    return refused.value.retry_after


def test_five_failures_are_free_then_the_client_waits_two_seconds() -> None:
    throttle = _throttle(Clock())
    for _ in range(4):
        throttle.failed("alice", "10.0.0.1")
    throttle.check("alice", "10.0.0.1")
    throttle.failed("alice", "10.0.0.1")

    assert _retry_after(throttle, "alice", "10.0.0.1") == 2


def test_each_further_failure_doubles_the_wait_up_to_fifteen_minutes() -> None:
    throttle = _throttle(Clock())
    waits = []
    for _ in range(15):
        throttle.failed("alice", "10.0.0.1")
        try:
            throttle.check("alice", "10.0.0.1")
        except TooManyAttempts as refused:
            waits.append(refused.retry_after)

    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_the_wait_only_binds_the_client_that_failed() -> None:
    throttle = _throttle(Clock())
    for _ in range(20):
        throttle.failed("alice", "203.0.113.9")

    throttle.check("alice", "10.0.0.1")


def test_a_client_that_waited_may_try_again() -> None:
    clock = Clock()
    throttle = _throttle(clock)
    for _ in range(6):
        throttle.failed("alice", "10.0.0.1")
    clock.advance(4)

    throttle.check("alice", "10.0.0.1")


def test_failures_are_forgotten_after_an_hour_without_one() -> None:
    clock = Clock()
    throttle = _throttle(clock)
    for _ in range(12):
        throttle.failed("alice", "10.0.0.1")
    clock.advance(3601)
    throttle.failed("alice", "10.0.0.1")

    throttle.check("alice", "10.0.0.1")


def test_a_success_forgets_the_clients_failures_on_the_account() -> None:
    throttle = _throttle(Clock())
    for _ in range(5):
        throttle.failed("alice", "10.0.0.1")

    throttle.succeeded("alice", "10.0.0.1")

    throttle.check("alice", "10.0.0.1")


def test_an_account_under_attack_gives_failing_clients_no_free_failures() -> None:
    throttle = _throttle(Clock(), account_alarm=10)
    for n in range(10):
        throttle.failed("alice", f"198.51.100.{n}")

    assert _retry_after(throttle, "alice", "198.51.100.3") == 2
    throttle.check("alice", "10.0.0.1")  # a client that has not failed still checks its password


def test_a_client_failing_on_twenty_accounts_is_refused_on_every_account() -> None:
    clock = Clock()
    throttle = _throttle(clock)
    for n in range(20):
        throttle.failed(f"user{n}", "203.0.113.9")
        clock.advance(1)

    assert _retry_after(throttle, "someone_else", "203.0.113.9") == 900 - 20
    throttle.check("someone_else", "10.0.0.1")
