from fleet.backoff import RestartBackoff


def test_doubles_the_wait_after_each_crash_up_to_the_maximum() -> None:
    backoff = RestartBackoff(initial=1, factor=2, maximum=5, stable_after=60)
    assert [backoff.next_delay(uptime=0.5) for _ in range(5)] == [1, 2, 4, 5, 5]
    assert backoff.crashes == 5


def test_starts_over_after_a_run_that_stayed_up() -> None:
    backoff = RestartBackoff(initial=1, factor=2, maximum=30, stable_after=60)
    backoff.next_delay(uptime=1)
    backoff.next_delay(uptime=1)
    assert backoff.next_delay(uptime=120) == 1
