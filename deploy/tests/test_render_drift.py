"""The committed render (what Argo CD deploys) is exactly what the chart renders today."""

from __future__ import annotations

from deploy.tests.support import LAYOUT
from release.render import drift, render_all


def test_committed_render_equals_a_fresh_render() -> None:
    stale = drift(LAYOUT, render_all(LAYOUT))
    assert stale == [], f"deploy/rendered is stale: {stale}; run `release render` and commit"


def test_rendering_twice_gives_identical_bytes() -> None:
    assert render_all(LAYOUT) == render_all(LAYOUT)
