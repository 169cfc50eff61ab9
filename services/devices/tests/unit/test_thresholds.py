"""Thresholds with hysteresis."""

import pytest

from devices.service.thresholds import Threshold


def test_a_reading_at_the_high_limit_breaches_it() -> None:
    assert Threshold(high=80, high_clear=75).breach(80.0) == 80


def test_a_reading_between_clear_and_limit_neither_breaches_nor_clears() -> None:
    threshold = Threshold(high=80, high_clear=75)
    assert (threshold.breach(77.0), threshold.cleared(77.0)) == (None, False)


def test_a_reading_back_at_the_clear_level_clears() -> None:
    assert Threshold(high=80, high_clear=75).cleared(75.0)


def test_a_low_limit_breaches_below_it() -> None:
    assert Threshold(low=1.0, low_clear=1.5).breach(0.5) == 1.0


def test_a_clear_level_past_its_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="high_clear"):
        Threshold(high=80, high_clear=85)
