"""The chart renders every service through the Helm SDK, lint-clean and as DESIGN.md says."""

from __future__ import annotations

from typing import Any

import helm_python as helm
import pytest

from deploy.tests.support import LAYOUT, schema_errors
from fleet.descriptor import descriptors
from release.render import render_objects, service_values

SERVICES = LAYOUT.services()
# The port each service listens on, as its descriptor says (DESIGN.md, "Conventions").
DESCRIPTORS = descriptors(LAYOUT.root)
PORTS = {d.name: d.port for d in DESCRIPTORS.values()}
CHASSIS_GRACE_SECONDS = 10


def _render(service: str, **changes: Any) -> dict[str, dict[str, Any]]:
    values = {**service_values(LAYOUT, service), **changes}
    objects = render_objects(LAYOUT.chart, values, release_name=service)
    return {f"{o['kind']}/{o['metadata']['name']}": o for o in objects}


def _container(objects: dict[str, dict[str, Any]], service: str) -> dict[str, Any]:
    container: dict[str, Any] = objects[f"Deployment/{service}"]["spec"]["template"]["spec"][
        "containers"
    ][0]
    return container


def test_every_described_service_has_a_values_file_and_no_other_does() -> None:
    assert sorted(PORTS) == SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_chart_lints_clean_in_strict_mode(service: str) -> None:
    report = helm.lint(LAYOUT.chart, service_values(LAYOUT, service), strict=True)
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert report["errors"] == [], report
    assert problems == [], report


@pytest.mark.parametrize("service", SERVICES)
def test_every_rendered_object_is_valid_kubernetes(service: str) -> None:
    errors = [schema_errors(o) for o in _render(service).values()]
    assert [e for e in errors if e] == []


@pytest.mark.parametrize("service", SERVICES)
def test_listens_on_its_design_port_and_probes_its_health_endpoints(service: str) -> None:
    objects = _render(service)
    container = _container(objects, service)
    assert container["ports"] == [
        {"name": "http", "containerPort": PORTS[service], "protocol": "TCP"}
    ]
    settings = objects[f"ConfigMap/{service}-settings"]["data"]
    assert settings[f"{service.upper()}__HTTP__PORT"] == str(PORTS[service])
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"


@pytest.mark.parametrize("service", SERVICES)
def test_termination_grace_covers_pre_stop_delay_and_chassis_grace(service: str) -> None:
    objects = _render(service)
    pod = objects[f"Deployment/{service}"]["spec"]["template"]["spec"]
    delay = _container(objects, service)["lifecycle"]["preStop"]["sleep"]["seconds"]
    settings = objects[f"ConfigMap/{service}-settings"]["data"]
    grace = int(settings[f"{service.upper()}__HTTP__GRACE_PERIOD"])
    assert grace == CHASSIS_GRACE_SECONDS
    assert pod["terminationGracePeriodSeconds"] > delay + grace


@pytest.mark.parametrize("service", SERVICES)
def test_runs_non_root_on_a_read_only_filesystem_without_capabilities(service: str) -> None:
    objects = _render(service)
    security = _container(objects, service)["securityContext"]
    assert security["runAsNonRoot"]
    assert security["readOnlyRootFilesystem"]
    assert security["capabilities"] == {"drop": ["ALL"]}
    assert security["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("service", SERVICES)
def test_logs_json_and_takes_secrets_only_by_reference(service: str) -> None:
    objects = _render(service)
    settings = objects[f"ConfigMap/{service}-settings"]["data"]
    assert settings[f"{service.upper()}__LOGGING__FORMAT"] == "json"
    env = {e["name"]: e for e in _container(objects, service)["env"]}
    if DESCRIPTORS[service].database:
        database = env[f"{service.upper()}__DATABASE__URL"]["valueFrom"]["secretKeyRef"]
        assert database == {"name": f"{service}-database", "key": "url"}
    secret = [e for e in env.values() if "secretKeyRef" in e.get("valueFrom", {})]
    assert all(e["valueFrom"]["secretKeyRef"]["name"].startswith(f"{service}-") for e in secret)
    assert not [
        e for e in env.values() if "value" in e and "URL" in e["name"] and "@" in e["value"]
    ]
    assert not any(kind.startswith("Secret/") for kind in objects)


def test_migrations_run_as_a_sync_hook_before_the_deployment() -> None:
    objects = _render("tasks")
    job = objects["Job/tasks-migrations"]["metadata"]["annotations"]
    deployment = objects["Deployment/tasks"]["metadata"]["annotations"]
    settings = objects["ConfigMap/tasks-settings"]["metadata"]["annotations"]
    assert job["argocd.argoproj.io/hook"] == "Sync"
    waves = [int(a["argocd.argoproj.io/sync-wave"]) for a in (settings, job, deployment)]
    assert waves == sorted(set(waves))


def test_network_policy_lets_a_service_reach_only_what_it_calls() -> None:
    egress = _render("devices")["NetworkPolicy/devices"]["spec"]["egress"]
    labels = [peer["podSelector"]["matchLabels"] for rule in egress[:-1] for peer in rule["to"]]
    peers = [found.get("app.kubernetes.io/name", found.get("k8s-app")) for found in labels]
    assert peers == ["kube-dns", "postgres", "mosquitto", "users", "tasks"]


def test_network_policy_lets_traces_reach_the_collector_only_on_its_port() -> None:
    collector = _render("users")["NetworkPolicy/users"]["spec"]["egress"][-1]
    assert collector == {
        "to": [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "observability"}}}
        ],
        "ports": [{"port": 4318, "protocol": "TCP"}],
    }


def _settings_the_pods_take(objects: dict[str, dict[str, Any]], service: str) -> dict[str, str]:
    sources = _container(objects, service)["envFrom"]
    names = [s["configMapRef"]["name"] for s in sources]
    return {
        k: v
        for n in names
        if f"ConfigMap/{n}" in objects
        for k, v in objects[f"ConfigMap/{n}"]["data"].items()
    }


@pytest.mark.parametrize("service", SERVICES)
def test_tracing_is_off_by_default(service: str) -> None:
    settings = _settings_the_pods_take(_render(service), service)
    assert settings[f"{service.upper()}__TRACING__ENABLED"] == "false"


def test_tracing_values_reach_the_pods_as_the_services_tracing_settings() -> None:
    tracing = {
        "enabled": True,
        "endpoint": "https://otel.example.com/v1/traces",
        "samplingRatio": 0.25,
    }
    settings = _settings_the_pods_take(_render("tasks", tracing=tracing), "tasks")
    assert {k: v for k, v in settings.items() if k.startswith("TASKS__TRACING__")} == {
        "TASKS__TRACING__ENABLED": "true",
        "TASKS__TRACING__ENDPOINT": "https://otel.example.com/v1/traces",
        "TASKS__TRACING__SAMPLING_RATIO": "0.25",
    }


def test_optional_pieces_render_only_when_enabled() -> None:
    plain = _render("users", ingress={"enabled": False})
    assert "Ingress/users" not in plain
    assert "ServiceMonitor/users" not in plain
    monitored = _render("users", serviceMonitor={"enabled": True})
    assert monitored["ServiceMonitor/users"]["spec"]["endpoints"][0]["path"] == "/metrics"


def test_chart_with_monitoring_on_lints_clean_in_strict_mode() -> None:
    values = {**service_values(LAYOUT, "devices"), "serviceMonitor": {"enabled": True}}
    report = helm.lint(LAYOUT.chart, values, strict=True)
    assert report["errors"] == [], report
    assert [m for m in report["messages"] if m["severity"] >= 2] == [], report


def test_the_broker_alerts_render_for_devices_only_with_monitoring_on() -> None:
    assert "PrometheusRule/devices-broker" not in _render("devices")
    assert "PrometheusRule/users-broker" not in _render("users", serviceMonitor={"enabled": True})
    rule = _render("devices", serviceMonitor={"enabled": True})["PrometheusRule/devices-broker"]
    [group] = rule["spec"]["groups"]
    alerts = {r["alert"]: r for r in group["rules"]}
    dropping = alerts["FleetBrokerDroppingMessages"]
    assert dropping["labels"]["severity"] == "critical"
    assert 'fleet_mqtt_broker_dropped_messages{job="devices"}[10m])) > 0' in dropping["expr"]
    backlog = alerts["FleetBrokerBacklogGrowing"]
    assert backlog["labels"]["severity"] == "warning"
    # Half of the broker's max_queued_messages (2,000,000), written as an integer for PromQL.
    assert backlog["expr"].endswith('fleet_mqtt_broker_stored_messages{job="devices"}) > 1000000')


def test_without_autoscaling_the_deployment_sets_its_replicas() -> None:
    objects = _render("users", autoscaling={"enabled": False}, replicas=3)
    assert "HorizontalPodAutoscaler/users" not in objects
    assert objects["Deployment/users"]["spec"]["replicas"] == 3


def _autoscaling(minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "enabled": True,
        "minReplicas": minimum,
        "maxReplicas": maximum,
        "targetCPUUtilizationPercentage": 75,
    }


def test_an_hpa_whose_minimum_exceeds_its_maximum_fails_the_render_naming_both() -> None:
    # JSON Schema cannot compare two fields: the chart's template refuses, through the Helm SDK
    # render that `release render` runs (and `helm template` alike).
    with pytest.raises(helm.HelmRenderError) as caught:
        _render("users", autoscaling=_autoscaling(5, 2))
    assert "autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (2)" in str(
        caught.value
    )


def test_an_hpa_may_pin_its_replicas_with_an_equal_minimum_and_maximum() -> None:
    hpa = _render("users", autoscaling=_autoscaling(3, 3))["HorizontalPodAutoscaler/users"]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 3)


def test_a_disabled_hpa_is_not_checked() -> None:
    objects = _render("users", autoscaling={**_autoscaling(5, 2), "enabled": False})
    assert "HorizontalPodAutoscaler/users" not in objects
