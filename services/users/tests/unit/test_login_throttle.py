import pytest

from users.service.errors import TooManyAttempts
from users.service.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_fifth_failure_blocks_the_key_with_a_retry_after() -> None:
    clock = Clock()
    throttle = LoginThrottle(max_failures=5, window=60, clock=clock)
    for _ in range(5):
        throttle.failed(["user:alice"])
    clock.now += 10

    with pytest.raises(TooManyAttempts) as blocked:
        throttle.check(["user:alice"])
    assert blocked.value.retry_after == 50


def test_failures_older_than_the_window_are_forgiven() -> None:
    clock = Clock()
    throttle = LoginThrottle(max_failures=5, window=60, clock=clock)
    for _ in range(5):
        throttle.failed(["user:alice"])
    clock.now += 61

    throttle.check(["user:alice"])


def test_a_success_clears_the_username_but_not_the_address() -> None:
    throttle = LoginThrottle(max_failures=2, window=60, clock=Clock())
    throttle.failed(["user:alice", "address:10.0.0.1"])
    throttle.failed(["user:alice", "address:10.0.0.1"])

    throttle.forget("user:alice")

    throttle.check(["user:alice"])
    with pytest.raises(TooManyAttempts):
        throttle.check(["address:10.0.0.1"])
