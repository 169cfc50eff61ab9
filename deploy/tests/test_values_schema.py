"""values.schema.json rejects bad values before anything renders, naming the bad path."""

from __future__ import annotations

from typing import Any

import helm_python as helm
import pytest

from deploy.tests.support import LAYOUT
from release.render import service_values


def _errors_for(**changes: Any) -> str:
    values = {**service_values(LAYOUT, "users"), **changes}
    with helm.Chart.load(LAYOUT.chart) as chart, pytest.raises(helm.HelmValuesError) as caught:
        chart.validate_schema(values)
    return str(caught.value)


@pytest.mark.parametrize("service", LAYOUT.services())
def test_every_services_values_are_valid(service: str) -> None:
    with helm.Chart.load(LAYOUT.chart) as chart:
        chart.validate_schema(service_values(LAYOUT, service))


def test_a_wrong_type_names_its_path() -> None:
    assert "at '/http/port': got string, want integer" in _errors_for(http={"port": "8001"})


def test_an_unknown_top_level_key_is_named() -> None:
    assert "additional properties 'replica' not allowed" in _errors_for(replica=2)


def test_an_unknown_nested_key_names_its_parent() -> None:
    errors = _errors_for(image={"repository": "fleet/users", "tag": "x", "tagg": "y"})
    assert "at '/image': additional properties 'tagg' not allowed" in errors


def test_a_bad_enum_names_its_path_and_choices() -> None:
    errors = _errors_for(config={"logging": {"format": "xml"}})
    assert "at '/config/logging/format': value must be one of 'console', 'json'" in errors


def test_a_secret_value_in_config_is_refused() -> None:
    errors = _errors_for(config={"database": {"url": "postgresql://u:pw@db/users"}})
    assert "/config/database" in errors


def test_a_secret_reference_needs_a_key() -> None:
    errors = _errors_for(secretEnv={"DATABASE__URL": {"secret": "users-database"}})
    assert "at '/secretEnv/DATABASE__URL': missing property 'key'" in errors


def test_an_ingress_needs_a_host() -> None:
    assert "/ingress" in _errors_for(ingress={"enabled": True})


def test_a_tracing_endpoint_must_be_an_http_url() -> None:
    errors = _errors_for(tracing={"endpoint": "otel-collector:4318"})
    assert "at '/tracing/endpoint'" in errors


def test_a_sampling_ratio_above_one_is_refused() -> None:
    assert "at '/tracing/samplingRatio'" in _errors_for(tracing={"samplingRatio": 1.5})


def test_tracing_set_in_config_is_refused_for_the_charts_own_section() -> None:
    assert "/config/tracing" in _errors_for(config={"tracing": {"enabled": True}})


def test_every_error_is_reported_at_once() -> None:
    errors = _errors_for(replicas="two", http={"port": 80})
    assert "/replicas" in errors
    assert "/http/port" in errors
