"""A dashboard is generated from the chassis's metric families: one without a panel stops it."""

from __future__ import annotations

import pytest

from release import dashboards


def test_a_metric_family_without_a_panel_stops_the_generation_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_retries = {k: v for k, v in dashboards.PANELS.items() if k != "retries"}
    monkeypatch.setattr(dashboards, "PANELS", without_retries)
    with pytest.raises(dashboards.MissingPanel, match="without a panel: retries"):
        dashboards.dashboard("users")


def test_every_metric_family_has_panels() -> None:
    assert set(dashboards.families("")) <= set(dashboards.PANELS)


def test_panels_sit_side_by_side_under_their_section_rows_without_overlapping() -> None:
    panels = dashboards.dashboard("tasks")["panels"]
    cells = [
        (x, y)
        for p in panels
        for x in range(p["gridPos"]["x"], p["gridPos"]["x"] + p["gridPos"]["w"])
        for y in range(p["gridPos"]["y"], p["gridPos"]["y"] + p["gridPos"]["h"])
    ]
    assert len(cells) == len(set(cells))
    assert [p["id"] for p in panels] == list(range(1, len(panels) + 1))


def test_the_breaker_panel_names_the_chassis_breaker_states() -> None:
    panels = dashboards.dashboard("devices")["panels"]
    [breakers] = [p for p in panels if p["title"] == "Circuit breakers"]
    [mapping] = breakers["fieldConfig"]["defaults"]["mappings"]
    assert {v["text"] for v in mapping["options"].values()} == {"closed", "half-open", "open"}
