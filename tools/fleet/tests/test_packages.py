"""What the packaged pexes carry: a service ships its own code and no benchmark, the fleet
runner no test helper."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest


def _sources(pex: Path) -> list[str]:
    # The pex's own sources sit at its root; its dependencies' wheels under .deps/.
    with zipfile.ZipFile(pex) as archive:
        return [name for name in archive.namelist() if not name.startswith(".deps/")]


def test_no_service_pex_carries_a_benchmark(dist: Path) -> None:
    pexes = sorted(dist.glob("services.*/pex.pex"))
    assert pexes
    for pex in pexes:
        benches = [n for n in _sources(pex) if {"bench", "benchmarks"} & set(n.split("/")[:-1])]
        assert benches == [], pex


def test_the_fleet_runner_carries_no_test_helper(dist: Path) -> None:
    pex = dist / "fleet.pex"
    if not pex.exists():
        pytest.skip("no fleet pex: ./pants package tools/fleet:fleet first")
    assert [n for n in _sources(pex) if n.startswith("chassis/testing/")] == []
    assert "chassis/local/broker.py" in _sources(pex)
