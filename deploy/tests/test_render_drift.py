"""The committed render (what Argo CD deploys) is exactly what the chart renders today, through
the Helm SDK here and through the helm binary in CI (`release compare-render`, the chart job)."""

from __future__ import annotations

from deploy.tests.support import LAYOUT
from release.render import drift, from_helm_template, render_all, service_values
from release.tests.helm_output import helm_template


def test_committed_render_equals_a_fresh_render() -> None:
    stale = drift(LAYOUT, render_all(LAYOUT))
    assert stale == [], f"deploy/rendered is stale: {stale}; run `release render` and commit"


def test_rendering_twice_gives_identical_bytes() -> None:
    assert render_all(LAYOUT) == render_all(LAYOUT)


def test_helm_template_output_of_the_chart_compares_equal_to_the_committed_render() -> None:
    # What the chart job's `release compare-render --helm helm` sees, with the SDK's render in
    # helm's output form standing in for the binary (none here).
    renders = []
    for service in LAYOUT.services():
        output = helm_template(LAYOUT.chart, service_values(LAYOUT, service), release_name=service)
        renders.append(from_helm_template(service, output))
    assert drift(LAYOUT, renders) == []
