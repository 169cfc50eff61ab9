"""The committed derived files are what the descriptors derive now."""

from pathlib import Path

from scaffold import artifacts, derived

ROOT = Path.cwd()  # the sandbox's root: the files this target depends on


def test_every_derived_file_is_fresh_or_names_the_command_that_writes_it() -> None:
    stale = artifacts.stale(ROOT, derived.artifacts(ROOT))
    assert not stale, f"out of date: {', '.join(stale)}; run `{artifacts.COMMAND}`"
