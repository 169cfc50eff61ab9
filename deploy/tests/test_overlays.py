"""Every overlay builds with kustomize into valid Kubernetes, changing only what may differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chassis.local import LIMITS
from deploy.tests.argocd_support import environment_files
from deploy.tests.support import (
    LAYOUT,
    kustomize,
    overlay_folders,
    schema_errors,
    service_overlays,
)
from fleet.descriptor import descriptors
from release import yamlio
from release.hold import PLACEHOLDER, is_held
from release.tags import is_image_tag

ENVIRONMENTS = ["dev", "prod", "staging"]
# What an overlay may change (DESIGN.md): replicas (the HPA), resources (the Deployment),
# hostnames (the Ingress), the address ranges of its managed servers (the NetworkPolicy: only
# added ipBlocks, test_egress.py); settings come from its configMapGenerator, tags from `images:`.
PATCHABLE = {"HorizontalPodAutoscaler", "Deployment", "Ingress", "NetworkPolicy"}
# The render each environment builds on: the live one, or (prod) the copy `release promote`
# writes beside the overlay from the render staging ran.
LIVE = "../../../rendered/{service}"
RENDER = {"dev": LIVE, "staging": LIVE, "prod": "rendered"}


def _id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def test_every_environment_deploys_every_service() -> None:
    assert LAYOUT.environments() == ENVIRONMENTS
    assert sorted(service_overlays()) == sorted(
        (env, service) for env in ENVIRONMENTS for service in LAYOUT.services()
    )


@pytest.mark.parametrize("folder", overlay_folders(), ids=_id)
def test_overlay_builds_into_strictly_valid_kubernetes(folder: Path) -> None:
    objects = kustomize(folder)
    assert objects
    errors = [schema_errors(o) for o in objects]
    assert [e for e in errors if e] == []
    namespace = environment_files()[folder.parent.name]["namespace"]
    assert {o["metadata"]["namespace"] for o in objects} == {namespace}


@pytest.mark.parametrize("folder", overlay_folders(), ids=_id)
def test_overlay_sets_the_namespace_its_environment_file_names(folder: Path) -> None:
    kustomization = yamlio.load((folder / "kustomization.yaml").read_text())
    assert kustomization["namespace"] == environment_files()[folder.parent.name]["namespace"]


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_service_runs_a_released_image_from_the_registry_or_no_pod_until_its_first(
    env: str, service: str
) -> None:
    objects = kustomize(LAYOUT.overlays_dir / env / service)
    images = {
        c["image"]
        for o in objects
        if o["kind"] in {"Deployment", "Job"}
        for c in o["spec"]["template"]["spec"]["containers"]
    }
    assert len(images) == 1
    repository, tag = images.pop().rsplit(":", 1)
    assert repository.endswith(f".azurecr.io/fleet/{service}")
    if is_held(LAYOUT.overlay(env, service)):  # a new service: no release built its image yet
        [deployment] = [o for o in objects if o["kind"] == "Deployment"]
        assert (tag, deployment["spec"]["replicas"]) == (PLACEHOLDER, 0)
    else:
        assert is_image_tag(tag)


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_service_is_told_its_environment(env: str, service: str) -> None:
    objects = kustomize(LAYOUT.overlays_dir / env / service)
    [settings] = [o for o in objects if o["metadata"]["name"].startswith(f"{service}-environment-")]
    assert settings["data"][f"{service.upper()}__ENVIRONMENT"] == env


# Where each environment's traces go (the platform's collector), and the share of new traces kept.
COLLECTOR = "http://otel-collector.observability:4318/v1/traces"
TRACING = {
    "dev": {"ENABLED": "false"},
    "staging": {"ENABLED": "true", "ENDPOINT": COLLECTOR, "SAMPLING_RATIO": "1.0"},
    "prod": {"ENABLED": "true", "ENDPOINT": COLLECTOR, "SAMPLING_RATIO": "0.1"},
}


def _pod_settings(objects: list[dict[str, Any]]) -> dict[str, str]:
    """The variables the Deployment's container takes from its ConfigMaps, the later winning."""
    config_maps = {
        o["metadata"]["name"]: o.get("data", {}) for o in objects if o["kind"] == "ConfigMap"
    }
    [deployment] = [o for o in objects if o["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    settings: dict[str, str] = {}
    for source in container["envFrom"]:
        settings |= config_maps.get(source["configMapRef"]["name"], {})
    return settings


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_service_sends_its_traces_where_its_environment_says(env: str, service: str) -> None:
    settings = _pod_settings(kustomize(LAYOUT.overlays_dir / env / service))
    prefix = f"{service.upper()}__TRACING__"
    wanted = {f"{prefix}{key}": value for key, value in TRACING[env].items()}
    assert {k: v for k, v in settings.items() if k in wanted} == wanted


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_overlay_patches_only_replicas_resources_hosts_and_server_ranges(
    env: str, service: str
) -> None:
    kustomization = yamlio.load(LAYOUT.overlay(env, service).read_text())
    assert kustomization["resources"] == [RENDER[env].format(service=service)]
    assert {p["target"]["kind"] for p in kustomization.get("patches", [])} <= PATCHABLE


@pytest.mark.parametrize(("env", "service"), service_overlays())
def test_the_hpa_an_overlay_patches_never_has_a_minimum_above_its_maximum(
    env: str, service: str
) -> None:
    # The chart refuses min > max in values; an overlay patches both after the render, and
    # neither Kubernetes' schema nor kustomize compares them.
    objects = kustomize(LAYOUT.overlays_dir / env / service)
    for hpa in [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]:
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"], hpa["spec"]


def test_prod_runs_more_replicas_than_dev() -> None:
    def floor(env: str) -> int:
        objects = kustomize(LAYOUT.overlays_dir / env / "tasks")
        [hpa] = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]
        return int(hpa["spec"]["minReplicas"])

    assert floor("dev") < floor("staging") < floor("prod")


def test_dev_broker_queues_as_much_as_the_local_fleets() -> None:
    # One broker sizing (docs/capacity.md): compose and dev run this file, ./fleet up LIMITS.
    config = (LAYOUT.overlays_dir / "dev" / "platform" / "mosquitto.conf").read_text()
    for setting in LIMITS.splitlines():
        assert f"\n{setting}\n" in config, setting


def test_dev_platform_runs_an_authenticated_broker_with_acls() -> None:
    config = (LAYOUT.overlays_dir / "dev" / "platform" / "mosquitto.conf").read_text()
    assert "allow_anonymous false" in config
    assert "acl_file /mosquitto/config/acl" in config
    acl = (LAYOUT.overlays_dir / "dev" / "platform" / "acl").read_text()
    for service, d in descriptors(LAYOUT.root).items():
        # A service without the broker has no account on it (./fleet new --no-mqtt).
        assert (f"user {service}\n" in acl) == (d.mqtt is not None), service
