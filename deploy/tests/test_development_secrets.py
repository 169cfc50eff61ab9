"""The chart refuses the repository's development secrets, wherever in the values they sit."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.tests.support import LAYOUT
from release.render import render_objects, service_values


def _render(service: str, **changes: Any) -> list[dict[str, Any]]:
    values = {**service_values(LAYOUT, service), **changes}
    return render_objects(LAYOUT.chart, values, release_name=service)


def test_a_development_client_secret_in_values_fails_the_render_naming_it() -> None:
    config = {"account": {"client_secret": "devices-local-only-secret"}}
    with pytest.raises(
        Exception, match=r"config\.account\.client_secret hold a development secret"
    ):
        _render("devices", config=config)


def test_a_development_password_inside_a_url_fails_the_render() -> None:
    config = {"users": {"base_url": "http://devices:devices-local-only@users:8001"}}
    with pytest.raises(Exception, match=r"config\.users\.base_url hold a development secret"):
        _render("devices", config=config)


def test_own_secrets_render() -> None:
    config = {"account": {"client_id": "devices"}}
    kinds = [o["kind"] for o in _render("devices", config=config)]
    assert "Deployment" in kinds
