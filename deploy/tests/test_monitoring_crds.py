"""The chart's ServiceMonitor and PrometheusRules are valid prometheus-operator objects, render
only behind their values flags, and the alerts refuse to render without what they read.

The CRD schemas are vendored (deploy/tests/schemas/prometheus-operator/, README there) and made
strict here, as kubernetes-validate --strict does for built-in kinds: an unknown field, which the
API server would drop without a word, fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest

from deploy.tests.support import LAYOUT, schema_errors
from release.alert_rules import MONITORING_ON
from release.render import render_objects, service_values

SCHEMAS = Path(__file__).parent / "schemas" / "prometheus-operator"
MONITORING_KINDS = {
    "ServiceMonitor": "servicemonitor.json",
    "PrometheusRule": "prometheusrule.json",
}


def _strict(schema: Any) -> Any:
    """`schema` with every object that lists its properties closed to others."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _strict(value) for key, value in schema.items()}
    opened = "additionalProperties" in closed or closed.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in closed and not opened:
        closed["additionalProperties"] = False
    return closed


def _crd_errors(objects: list[dict[str, Any]], tmp_path: Path) -> str:
    """check-jsonschema's report on `objects` against their kinds' strict schemas ('' if valid)."""
    report = []
    for kind, schema_file in MONITORING_KINDS.items():
        of_kind = [o for o in objects if o["kind"] == kind]
        if not of_kind:
            continue
        schema = tmp_path / schema_file
        schema.write_text(json.dumps(_strict(json.loads((SCHEMAS / schema_file).read_text()))))
        instances = []
        for obj in of_kind:
            instances.append(tmp_path / f"{kind}-{obj['metadata']['name']}.json")
            instances[-1].write_text(json.dumps(obj))
        check = Path(sys.executable).parent / "check-jsonschema"
        result = subprocess.run(
            [str(check), "--schemafile", str(schema), *map(str, instances)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            report.append(result.stdout + result.stderr)
    return "".join(report)


def _render(service: str, **changes: Any) -> list[dict[str, Any]]:
    values = {**service_values(LAYOUT, service), **changes}
    return render_objects(LAYOUT.chart, values, release_name=service)


def _monitoring(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] in MONITORING_KINDS]


@pytest.mark.parametrize("service", LAYOUT.services())
def test_monitoring_objects_are_valid_against_the_prometheus_operator_crds(
    service: str, tmp_path: Path
) -> None:
    objects = _monitoring(_render(service, **MONITORING_ON))
    assert {o["kind"] for o in objects} == set(MONITORING_KINDS)
    assert _crd_errors(objects, tmp_path) == ""
    # metadata is ObjectMeta as in any built-in kind: checked by the Kubernetes schema.
    metadata = [
        schema_errors({"apiVersion": "v1", "kind": "ConfigMap", "metadata": o["metadata"]})
        for o in objects
    ]
    assert [m for m in metadata if m] == []


def test_a_misspelled_field_fails_the_crd_check(tmp_path: Path) -> None:
    [monitor] = [o for o in _render("users", **MONITORING_ON) if o["kind"] == "ServiceMonitor"]
    monitor["spec"]["endpoints"][0]["intervall"] = "30s"
    assert "intervall" in _crd_errors([monitor], tmp_path)


def test_monitoring_is_off_by_default() -> None:
    for service in LAYOUT.services():
        assert _monitoring(_render(service)) == []


def test_the_service_alerts_render_with_both_flags_on_and_read_the_service_job() -> None:
    rules = {
        o["metadata"]["name"]: o
        for o in _render("tasks", **MONITORING_ON)
        if o["kind"] == "PrometheusRule"
    }
    [group] = rules["tasks"]["spec"]["groups"]
    alerts = {rule["alert"]: rule["expr"] for rule in group["rules"]}
    assert sorted(alerts) == [
        "FleetCircuitBreakerOpen",
        "FleetHighErrorRatio",
        "FleetLatencyOverSlo",
        "FleetMessagesDeadLettered",
        "FleetOutboxBacklog",
        "FleetOutboxEventsLate",
        "FleetOutboxStalled",
        "FleetReadinessFlapping",
    ]
    assert all('job="tasks"' in expr for expr in alerts.values())


def test_the_latency_slo_comes_from_the_values() -> None:
    alerts = {**MONITORING_ON, "alerts": {"enabled": True, "latencyP99Seconds": 0.25}}
    [rule] = [o for o in _render("users", **alerts) if o["kind"] == "PrometheusRule"]
    [slo] = [r for r in rule["spec"]["groups"][0]["rules"] if r["alert"] == "FleetLatencyOverSlo"]
    assert slo["expr"].endswith("> 0.25")


def test_the_outbox_age_limit_and_its_duration_come_from_the_values() -> None:
    limits = {"enabled": True, "outboxAgeSeconds": 30, "outboxAgeFor": "2m"}
    [rule] = [
        o
        for o in _render("users", **{**MONITORING_ON, "alerts": limits})
        if o["kind"] == "PrometheusRule"
    ]
    [late] = [
        r for r in rule["spec"]["groups"][0]["rules"] if r["alert"] == "FleetOutboxEventsLate"
    ]
    assert late["expr"].endswith('fleet_outbox_oldest_age_seconds{job="users"}) > 30')
    assert late["for"] == "2m"


def test_alerts_without_the_service_monitor_fail_the_render_saying_why() -> None:
    with pytest.raises(helm.HelmRenderError) as caught:
        _render("users", alerts={"enabled": True})
    assert "alerts.enabled needs serviceMonitor.enabled" in str(caught.value)
