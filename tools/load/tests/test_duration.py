import pytest

from load.runner import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"), [("45", 45), ("20s", 20), ("5m", 300), ("1h30m", 5400), ("1m5s", 65)]
)
def test_reads_locusts_duration_forms(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "5 minutes", "1.5m", "m"])
def test_refuses_what_is_not_a_positive_duration(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)
