import pytest

from scaffold.region import BEGIN, END, RegionMissing, region, regions

FILE = f"keep: 1\n# {BEGIN}\nold\n# {END}\nkeep: 2\n"


def test_replaces_only_the_lines_between_the_markers() -> None:
    render = region("compose.yml", "# ", "new: 1\nnew: 2\n")
    assert render(FILE) == f"keep: 1\n# {BEGIN}\nnew: 1\nnew: 2\n# {END}\nkeep: 2\n"


def test_a_file_rendered_again_is_unchanged() -> None:
    render = region("compose.yml", "# ", "new\n")
    assert render(render(FILE)) == render(FILE)


@pytest.mark.parametrize("text", [None, "no markers\n", f"# {END}\n# {BEGIN}\n"])
def test_refuses_a_file_without_one_whole_region_naming_it(text: str | None) -> None:
    with pytest.raises(RegionMissing, match=r"compose\.yml: needs one region"):
        region("compose.yml", "# ", "x\n")(text)


def test_named_regions_of_one_file_are_filled_each_with_its_own_body() -> None:
    text = f"a\n# {BEGIN} [one]\nold\n# {END} [one]\nb\n# {BEGIN} [two]\n# {END} [two]\nc\n"
    render = regions("compose.yml", "# ", {"one": "1\n", "two": "2\n"})
    assert render(text) == (
        f"a\n# {BEGIN} [one]\n1\n# {END} [one]\nb\n# {BEGIN} [two]\n2\n# {END} [two]\nc\n"
    )


def test_a_named_region_is_not_an_unnamed_ones() -> None:
    with pytest.raises(RegionMissing, match=r"\[two\]"):
        regions("compose.yml", "# ", {"two": "x\n"})(FILE)
