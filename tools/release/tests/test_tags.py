from datetime import date

import pytest

from release.tags import branch_slug, image_tag, is_image_tag, is_older

DAY = date(2026, 11, 23)


def test_tag_is_date_run_number_and_branch() -> None:
    assert image_tag(DAY, 42, "main") == "v20261123.42-main"


def test_branch_from_a_full_ref_loses_the_ref_prefix() -> None:
    assert image_tag(DAY, 7, "refs/heads/develop") == "v20261123.7-develop"


def test_branch_characters_docker_rejects_become_dashes() -> None:
    assert branch_slug("feature/Login Page#2") == "feature-login-page-2"


def test_tag_never_exceeds_dockers_128_characters() -> None:
    tag = image_tag(DAY, 123456, "b" * 300)
    assert len(tag) == 128
    assert is_image_tag(tag)


def test_a_branch_without_usable_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="no character usable"):
        image_tag(DAY, 1, "///")


def test_run_number_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        image_tag(DAY, 0, "main")


@pytest.mark.parametrize("tag", ["latest", "v2026112.1-main", "v20261123-main", "unreleased"])
def test_tags_not_made_by_the_tool_are_not_release_tags(tag: str) -> None:
    assert not is_image_tag(tag)


def test_an_earlier_day_is_older_whatever_its_run_number() -> None:
    assert is_older("v20261101.500-main", "v20261205.42-main")
    assert not is_older("v20261205.42-main", "v20261101.500-main")


def test_on_the_same_day_a_lower_run_number_is_older() -> None:
    # Numbers, not text: run 9 came before run 10.
    assert is_older("v20261123.9-main", "v20261123.10-main")
    assert not is_older("v20261123.10-main", "v20261123.9-main")


def test_a_tag_is_not_older_than_itself() -> None:
    assert not is_older("v20261123.9-main", "v20261123.9-main")


@pytest.mark.parametrize("other", ["unreleased", "latest", ""])
def test_a_tag_the_tool_did_not_make_is_neither_older_nor_newer(other: str) -> None:
    assert not is_older("v20261123.9-main", other)
    assert not is_older(other, "v20261123.9-main")
