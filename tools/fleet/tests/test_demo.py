from pathlib import Path

from fleet.demo import demo_password


def test_generates_the_demo_password_once_and_keeps_it(tmp_path: Path) -> None:
    first, generated = demo_password(None, tmp_path)
    again, generated_again = demo_password(None, tmp_path)
    assert generated
    assert not generated_again
    assert first == again
    assert len(first) >= 12  # users' password policy
    assert (tmp_path / "demo-password").stat().st_mode & 0o077 == 0


def test_fleet_demo_password_wins(tmp_path: Path) -> None:
    assert demo_password("chosen-by-me-123", tmp_path) == ("chosen-by-me-123", False)
